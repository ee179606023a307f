// CLI: npx tsx scripts/relay/main.ts --port 5555 --data .stack/relay [--host 127.0.0.1] [--durable]
//        [--allow-origin chrome-extension://<id>]… [--retention-days 30] [--private-reads open|owner]
// (tsx runs this as CommonJS, hence no top-level await.)
import { parseArgs } from 'node:util';
import { EXTENSION_ORIGIN } from '../../shared/settings/extension-id';
import { startRelay } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5555' },
    data: { type: 'string', default: '.stack/relay' },
    host: { type: 'string', default: '127.0.0.1' },
    durable: { type: 'boolean', default: false },
    // Repeat to allow several browser origins; without the flag only the SecureMed extension is allowed.
    'allow-origin': { type: 'string', multiple: true },
    'retention-days': { type: 'string', default: '30' },
    'private-reads': { type: 'string', default: 'open' },
  },
});

function fail(message: string): never {
  console.error(`relay: ${message}`);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
const retentionDays = Number(values['retention-days']);
if (!(retentionDays > 0)) fail(`invalid --retention-days ${values['retention-days']}`);
const privateReads = values['private-reads'];
if (privateReads !== 'open' && privateReads !== 'owner') fail('--private-reads is open or owner');
const origins = values['allow-origin'] ?? [EXTENSION_ORIGIN];
// An exact origin (scheme://host[:port], no path); `*` or a pattern would defeat the check.
for (const o of origins) if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s*]+$/.test(o)) fail(`--allow-origin needs an exact origin, got ${o}`);

startRelay({
  port,
  dataDir: values.data!,
  host: values.host,
  durable: values.durable,
  allowedOrigins: origins,
  privateReads,
  limits: { retentionMs: retentionDays * 24 * 60 * 60 * 1000 },
  log: (l) => console.log(l),
}).then(
  (relay) => {
    // Print the URL on its own line so a parent process (the local stack script) can parse it.
    console.log(`RELAY_URL=${relay.url}`);
    const stop = (signal: string) => {
      console.log(`relay: ${signal}, closing`);
      relay.close().then(() => process.exit(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  },
  (err: Error) => {
    console.error(`relay: failed to start: ${err.message}`);
    process.exit(1);
  },
);
