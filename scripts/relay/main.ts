// CLI: npx tsx scripts/relay/main.ts --port 5555 --data .stack/relay [--host 127.0.0.1] [--durable]
// (tsx runs this as CommonJS, hence no top-level await.)
import { parseArgs } from 'node:util';
import { startRelay } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5555' },
    data: { type: 'string', default: '.stack/relay' },
    host: { type: 'string', default: '127.0.0.1' },
    durable: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`relay: invalid --port ${values.port}`);
  process.exit(2);
}

startRelay({ port, dataDir: values.data!, host: values.host, durable: values.durable, log: (l) => console.log(l) }).then(
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
