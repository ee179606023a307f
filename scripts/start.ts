/**
 * `npm start`: the whole local stack, one command.
 *   local chain (Hardhat node) → contracts deployed → extension built → relay → relayer → demo portal → Chromium
 * Ports: --chain-port (8545), --relay-port (5555), --relayer-port (8546), --portal-port (5173), --ehr-port (5174), or SECUREMED_*_PORT.
 * --no-browser skips opening Chromium. Ctrl-C stops everything it started.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deployAll } from './deploy';
import { portFree, waitForRpc } from './lib/net';
import { startProcess, stopAll } from './lib/processes';
import { attestGrantee, DEMO_EHR_GRANTEE } from './portal/grantee';
import { startPortal } from './portal/server';
import { startRelay } from './relay/server';
import { allowedOrigins, relayerKey } from './relayer/config';
import { startRelayer } from './relayer/server';
import { DEFAULT_SETTINGS } from '../shared/settings/schema';
import { startStorageNode, storageNodesInstalled, type StorageNode } from '../storage-nodes/launch';

const ROOT = resolve(__dirname, '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

function option(flag: string, env: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${flag} must be a port number, got ${raw}`);
  return value;
}

function step(text: string): void {
  console.log(`• ${text}`);
}

async function main(): Promise<void> {
  const chainPort = option('--chain-port', 'SECUREMED_CHAIN_PORT', 8545);
  const relayPort = option('--relay-port', 'SECUREMED_RELAY_PORT', 5555);
  const portalPort = option('--portal-port', 'SECUREMED_PORTAL_PORT', 5173);
  // Beside the portal by default; any free port when the portal's was chosen (tests run several stacks).
  const ehrPort = option('--ehr-port', 'SECUREMED_EHR_PORT', portalPort === 5173 ? 5174 : 0);
  // The extension's default relayerUrl (shared/settings) points here.
  const relayerPort = option('--relayer-port', 'SECUREMED_RELAYER_PORT', Number(new URL(DEFAULT_SETTINGS.relayerUrl).port));
  for (const [name, port] of [['chain', chainPort], ['relay', relayPort], ['relayer', relayerPort], ['portal', portalPort], ['ehr', ehrPort]] as const) {
    if (port !== 0 && !(await portFree(port))) throw new Error(`Port ${port} (${name}) is in use. Stop what holds it or pass --${name}-port.`);
  }
  const stackDir = join(ROOT, '.stack');
  mkdirSync(stackDir, { recursive: true });

  step(`starting the local chain on 127.0.0.1:${chainPort}`);
  const chainUrl = `http://127.0.0.1:${chainPort}`;
  startProcess('chain', bin('hardhat'), ['node', '--hostname', '127.0.0.1', '--port', String(chainPort)]);
  await waitForRpc(chainUrl);

  step('compiling and deploying the contracts');
  execFileSync(bin('hardhat'), ['compile', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  const deployment = await deployAll(chainUrl);
  // The demo portal's grantee shows as a verified provider (attested by the local verifier).
  await attestGrantee(chainUrl, deployment);
  await attestGrantee(chainUrl, deployment, DEMO_EHR_GRANTEE);

  step('building the extension');
  execFileSync(bin('wxt'), ['build'], { cwd: ROOT, stdio: 'ignore' });
  const extensionDir = join(ROOT, '.output', 'chrome-mv3');

  step('starting the messaging relay');
  const relay = await startRelay({ port: relayPort, dataDir: join(stackDir, 'relay') });

  step('starting the relayer (pays the gas of signed actions)');
  // In memory, like the chain it pays on: a new `npm start` is a new chain.
  const relayer = await startRelayer({
    rpcUrl: chainUrl,
    deployment,
    privateKey: relayerKey(deployment.chainId),
    port: relayerPort,
    allowedOrigins: allowedOrigins(),
    log: (line) => process.env.SECUREMED_VERBOSE && console.log(line),
  });

  step('serving the demo portal');
  const portal = await startPortal(portalPort);
  step("serving the demo doctor's EHR (another origin, another grantee)");
  const ehr = await startPortal(ehrPort, { site: 'ehr' });

  // Three IPFS storage nodes for the encrypted replicas, at the extension's default node list (Node 22, storage-nodes/).
  let storage: StorageNode[] = [];
  if (storageNodesInstalled()) {
    step('starting three storage nodes');
    storage = await Promise.all(DEFAULT_SETTINGS.storageNodes.map((n, i) => startStorageNode({ dir: join(stackDir, `storage-${i + 1}`), port: Number(new URL(n.url).port) })));
  } else {
    step('storage nodes not installed (npm ci --prefix storage-nodes): replicas stay off');
  }

  const shutdown = async () => {
    console.log('\nStopping SecureMed…');
    await Promise.allSettled([relay.close(), relayer.close(), portal.close(), ehr.close(), stopAll(), ...storage.map((n) => n.stop())]);
    console.log('Stopped. All ports are free.');
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  console.log(`
SecureMed is running.
  chain      ${chainUrl}  (chain id ${deployment.chainId})
  contracts  ConsentRegistry ${deployment.contracts.ConsentRegistry}
             RecordAnchor    ${deployment.contracts.RecordAnchor}
             ProviderDirectory ${deployment.contracts.ProviderDirectory}
  relay      ${relay.url}
  relayer    ${relayer.url}  (pays from ${relayer.address})
  portal     ${portal.url}
  ehr        ${ehr.url}
  storage    ${storage.map((n) => n.url).join('  ') || 'not started'}
  extension  ${extensionDir}
`);
  openBrowser(extensionDir, portal.url, stackDir);
  console.log('Press Ctrl-C to stop everything.');
}

/** Open Chromium with the extension when there is a screen; otherwise say how to do it by hand. */
function openBrowser(extensionDir: string, portalUrl: string, stackDir: string): void {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.CHROMIUM_PATH].find((p) => p && existsSync(p));
  const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (process.argv.includes('--no-browser') || !hasDisplay || !chromium) {
    console.log(`No browser opened${hasDisplay ? '' : ' (no display found)'}. To use the extension in your own Chrome or Chromium:
  1. open chrome://extensions and switch on "Developer mode";
  2. click "Load unpacked" and choose ${extensionDir};
  3. open ${portalUrl} and click "Connect SecureMed".`);
    return;
  }
  const profile = join(stackDir, 'browser-profile');
  const browser = spawn(chromium, [`--user-data-dir=${profile}`, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', portalUrl], { stdio: 'ignore', detached: true });
  browser.unref();
  console.log(`Opened Chromium with the extension (profile: ${profile}).`);
}

main().catch(async (error) => {
  console.error(`\nCould not start SecureMed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
});
