// One local storage node: a Helia IPFS node with a file blockstore, behind the HTTP API subset the
// extension speaks (README.md). Runs on the Node 22 binary of this package (helia@7 needs it); the rest
// of the project stays on the system Node. Started by launch.ts:
//   node node.mjs --port 0 --dir <data dir> [--origin chrome-extension://…] [--credential <token>]
// and prints one line `{"ready": true, "url": "http://127.0.0.1:<port>"}` on stdout once listening.
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHelia } from 'helia';
import { libp2pDefaults } from '@helia/libp2p';
import { tcp } from '@libp2p/tcp';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { startFront } from './front.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    dir: { type: 'string' },
    origin: { type: 'string', multiple: true, default: [] },
    credential: { type: 'string' },
  },
});
if (!values.dir) throw new Error('--dir is required');
mkdirSync(join(values.dir, 'blocks'), { recursive: true });
mkdirSync(join(values.dir, 'data'), { recursive: true });

const blockstore = new FsBlockstore(join(values.dir, 'blocks'));
const datastore = new FsDatastore(join(values.dir, 'data'));

// Unpeered on purpose: no bootstrap, no discovery, none of the network-facing default services. A node
// answers only from its own disk, so a lost block shows as lost (a peer fetch cannot hide it), and
// nothing falls back to public gateways.
const libp2p = libp2pDefaults();
libp2p.addresses = { listen: ['/ip4/127.0.0.1/tcp/0'] };
libp2p.transports = [tcp()];
libp2p.peerDiscovery = [];
for (const service of ['autoNAT', 'dcutr', 'delegatedRouting', 'upnp', 'autoTLS', 'http', 'relay', 'bootstrap', 'mdns']) {
  delete libp2p.services[service];
}

const helia = await createHelia({ blockstore, datastore, libp2p, start: false });
await helia.start();

const front = await startFront({
  helia,
  blockstore,
  datastore,
  port: Number(values.port),
  origins: values.origin,
  credential: values.credential,
});
process.stdout.write(`${JSON.stringify({ ready: true, url: front.url })}\n`);

async function stop() {
  await front.close();
  await helia.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
