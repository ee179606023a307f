// CLI (public networks, or a relayer of your own beside the local stack):
//   SECUREMED_RELAYER_KEY=0x… npx tsx scripts/relayer/main.ts --rpc https://… --deployment shared/chain/deployments/chain-N.json \
//     [--port 8546] [--host 127.0.0.1] [--data .relayer/requests.json] [--budget-wei 100000000000000000]
// Allowed browser origins: SECUREMED_RELAYER_ORIGINS (comma-separated; default the extension's origin).
// (tsx runs this as CommonJS, hence no top-level await.)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { allowedOrigins, relayerKey } from './config';
import { startRelayer, type RelayerDeployment } from './server';

const { values } = parseArgs({
  options: {
    rpc: { type: 'string', default: `http://127.0.0.1:${process.env.SECUREMED_CHAIN_PORT ?? 8545}` },
    deployment: { type: 'string', default: 'shared/chain/deployments/local.json' },
    port: { type: 'string', default: process.env.SECUREMED_RELAYER_PORT ?? '8546' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string' },
    'budget-wei': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`relayer: invalid --port ${values.port}`);
  process.exit(2);
}

try {
  const deployment = JSON.parse(readFileSync(values.deployment!, 'utf8')) as RelayerDeployment;
  startRelayer({
    rpcUrl: values.rpc!,
    deployment,
    privateKey: relayerKey(deployment.chainId),
    port,
    host: values.host,
    allowedOrigins: allowedOrigins(),
    dataFile: values.data,
    policy: values['budget-wei'] ? { budgetWei: BigInt(values['budget-wei']) } : undefined,
    log: (l) => console.log(l),
  }).then(
    (relayer) => {
      console.log(`RELAYER_URL=${relayer.url}`);
      const stop = (signal: string) => {
        console.log(`relayer: ${signal}, closing`);
        relayer.close().then(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (err: Error) => {
      console.error(`relayer: failed to start: ${err.message}`);
      process.exit(1);
    },
  );
} catch (err) {
  console.error(`relayer: ${(err as Error).message}`);
  process.exit(1);
}
