// The HTTP front of one storage node: exactly the published API subset the extension uses, so a node
// run by the patient or a hospital (Kubo, or any gateway with these endpoints) can stand in for ours.
//   Kubo RPC        POST /api/v0/block/put  /api/v0/dag/import  /api/v0/pin/add  /api/v0/pin/rm  /api/v0/block/rm
//                   /api/v0/refs/local  /api/v0/pin/ls
//   gateway         GET  /ipfs/{cid}   raw block (trustless: the client checks the hash), local blocks only
//   routing v1      GET|PUT /routing/v1/ipns/{name}   IPNS records, validated, highest sequence kept
// Binds 127.0.0.1. CORS: the extension origin(s) given at start and requests without an Origin only.
import { createServer } from 'node:http';
import { CarBlockIterator } from '@ipld/car';
import { unmarshalIPNSRecord } from 'ipns';
import { ipnsValidator } from 'ipns/validator';
import { Key } from 'interface-datastore';
import { CID } from 'multiformats/cid';
import { base36 } from 'multiformats/bases/base36';
import { sha256 } from 'multiformats/hashes/sha2';
import { equals } from 'uint8arrays/equals';

const RAW = 0x55;
const LIBP2P_KEY = 0x72;
const MAX_BODY = 64 * 1024 * 1024;
const IPNS_TYPE = 'application/vnd.ipfs.ipns-record';

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function readBody(req) {
  const parts = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** The file parts of a multipart/form-data body (the Kubo RPC sends files that way). */
function multipartFiles(contentType, body) {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!match) throw new HttpError(400, 'expected multipart/form-data with a boundary');
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
  const files = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headersEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(delimiter, headersEnd);
    if (headersEnd < 0 || next < 0) throw new HttpError(400, 'malformed multipart body');
    files.push(body.subarray(headersEnd + 4, next - 2)); // the part ends with CRLF before the delimiter
    at = next;
  }
  if (files.length === 0) throw new HttpError(400, 'no file in the request');
  return files;
}

async function blockBytes(blockstore, cid) {
  const chunks = [];
  for await (const chunk of blockstore.get(cid)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function parseCid(text) {
  try {
    return CID.parse(text);
  } catch {
    throw new HttpError(400, `not a CID: ${String(text).slice(0, 80)}`);
  }
}

async function verified(cid, bytes) {
  if (cid.multihash.code !== sha256.code) throw new HttpError(400, 'only sha2-256 blocks are accepted');
  const digest = await sha256.digest(bytes);
  if (!equals(digest.digest, cid.multihash.digest)) throw new HttpError(400, `block does not match ${cid}`);
}

async function pin(helia, cid) {
  if (await helia.pins.isPinned(cid)) return;
  for await (const _ of helia.pins.add(cid)) {
    /* raw blocks have no links: one step */
  }
}

async function inParallel(items, limit, work) {
  let at = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (at < items.length) await work(items[at++]);
  }));
}

/** The routing key of an IPNS name given as a CID (base36 libp2p-key, the usual spelling) or any base. */
function ipnsRoutingKey(name) {
  let cid;
  try {
    cid = name.startsWith('k') ? CID.parse(name, base36) : CID.parse(name);
  } catch {
    throw new HttpError(400, 'not an IPNS name');
  }
  if (cid.code !== LIBP2P_KEY) throw new HttpError(400, 'an IPNS name is a libp2p-key CID');
  const mh = cid.multihash.bytes;
  const key = new Uint8Array(6 + mh.length);
  key.set(new TextEncoder().encode('/ipns/'));
  key.set(mh, 6);
  return { key, datastoreKey: new Key(`/securemed-ipns/${cid.toString(base36)}`) };
}

export async function startFront({ helia, blockstore, datastore, port, origins, credential }) {
  const allowed = new Set(origins);

  async function handle(req, res, url) {
    const path = url.pathname;
    const args = url.searchParams.getAll('arg');
    const json = (value) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(value));
    };
    const ndjson = (values) => {
      res.setHeader('content-type', 'application/x-ndjson');
      res.end(values.map((v) => `${JSON.stringify(v)}\n`).join(''));
    };

    if (path.startsWith('/api/v0/') && req.method !== 'POST') throw new HttpError(405, 'the RPC API takes POST');

    if (path === '/api/v0/block/put') {
      const out = [];
      for (const bytes of multipartFiles(req.headers['content-type'], await readBody(req))) {
        const cid = CID.createV1(RAW, await sha256.digest(bytes));
        await blockstore.put(cid, bytes);
        if (url.searchParams.get('pin') === 'true') await pin(helia, cid);
        out.push({ Key: cid.toString(), Size: bytes.length });
      }
      return ndjson(out);
    }
    if (path === '/api/v0/dag/import') {
      const roots = [];
      let blocks = 0;
      for (const car of multipartFiles(req.headers['content-type'], await readBody(req))) {
        let iterator;
        try {
          iterator = await CarBlockIterator.fromBytes(car);
        } catch {
          throw new HttpError(400, 'not a CAR file');
        }
        const checked = [];
        for await (const { cid, bytes } of iterator) {
          await verified(cid, bytes);
          checked.push({ cid, bytes });
        }
        // All or nothing per CAR: every block is checked before the first is written (many writes in parallel).
        for await (const _ of blockstore.putMany(checked)) blocks++;
        roots.push(...(await iterator.getRoots()));
      }
      const pinRoots = url.searchParams.get('pin-roots') !== 'false';
      if (pinRoots) await inParallel(roots, 16, (root) => pin(helia, root));
      const lines = roots.map((root) => ({ Root: { Cid: { '/': root.toString() }, PinErrorMsg: '' } }));
      if (url.searchParams.get('stats') === 'true') lines.push({ Stats: { BlockCount: blocks } });
      return ndjson(lines);
    }
    if (path === '/api/v0/pin/add') {
      if (args.length === 0) throw new HttpError(400, 'argument "ipfs-path" is required');
      const cids = args.map((a) => parseCid(a.replace(/^\/ipfs\//, '')));
      for (const cid of cids) {
        if (!(await blockstore.has(cid))) throw new HttpError(500, `block ${cid} is not on this node`);
        await pin(helia, cid);
      }
      return json({ Pins: cids.map(String) });
    }
    if (path === '/api/v0/pin/rm') {
      // Kubo: unpins (recursive by default); a CID that is not pinned is an error.
      if (args.length === 0) throw new HttpError(400, 'argument "ipfs-path" is required');
      const cids = args.map((a) => parseCid(a.replace(/^\/ipfs\//, '')));
      for (const cid of cids) {
        if (!(await helia.pins.isPinned(cid))) throw new HttpError(500, `${cid} is not pinned or pinned indirectly`);
        for await (const _ of helia.pins.rm(cid)) {
          /* raw blocks have no links: one step */
        }
      }
      return json({ Pins: cids.map(String) });
    }
    if (path === '/api/v0/block/rm') {
      // Kubo: one ndjson line per CID, {Hash, Error}; a pinned block is not removed; `force` ignores absent ones.
      if (args.length === 0) throw new HttpError(400, 'argument "cid" is required');
      const force = url.searchParams.get('force') === 'true';
      const out = [];
      for (const arg of args) {
        const cid = parseCid(arg);
        if (await helia.pins.isPinned(cid)) out.push({ Hash: cid.toString(), Error: 'pinned: direct' });
        else if (!(await blockstore.has(cid))) out.push({ Hash: cid.toString(), ...(force ? {} : { Error: 'block not found' }) });
        else {
          await blockstore.delete(cid);
          out.push({ Hash: cid.toString() });
        }
      }
      return ndjson(out);
    }
    if (path === '/api/v0/refs/local') {
      // What this node holds on its own disk, nothing fetched: the health check's ground truth. The file
      // blockstore keys blocks by multihash; like Kubo, list them as CIDv1 raw.
      const out = [];
      for await (const { cid } of blockstore.getAll()) out.push({ Ref: CID.createV1(RAW, cid.multihash).toString(), Err: '' });
      return ndjson(out);
    }
    if (path === '/api/v0/pin/ls') {
      const keys = {};
      for await (const pinned of helia.pins.ls()) keys[pinned.cid.toString()] = { Type: pinned.depth === Infinity ? 'recursive' : 'direct' };
      return json({ Keys: keys });
    }
    if (path.startsWith('/ipfs/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const cid = parseCid(path.slice('/ipfs/'.length).split('/')[0]);
      if (!(await blockstore.has(cid))) throw new HttpError(404, 'not on this node'); // never fetched from peers
      const bytes = await blockBytes(blockstore, cid);
      res.setHeader('content-type', 'application/vnd.ipld.raw');
      res.setHeader('x-ipfs-roots', cid.toString());
      res.setHeader('cache-control', 'public, max-age=29030400, immutable');
      return res.end(req.method === 'HEAD' ? undefined : bytes);
    }
    const ipns = /^\/routing\/v1\/ipns\/([^/]+)$/.exec(path);
    if (ipns) {
      const { key, datastoreKey } = ipnsRoutingKey(ipns[1]);
      if (req.method === 'GET') {
        if (!(await datastore.has(datastoreKey))) throw new HttpError(404, 'no record for this name');
        res.setHeader('content-type', IPNS_TYPE);
        res.setHeader('cache-control', 'no-cache');
        return res.end(Buffer.from(await datastore.get(datastoreKey)));
      }
      if (req.method === 'PUT') {
        const record = new Uint8Array(await readBody(req));
        try {
          await ipnsValidator(key, record); // signature by the name's key, not expired
        } catch (cause) {
          throw new HttpError(400, `invalid IPNS record: ${cause.message}`);
        }
        if (await datastore.has(datastoreKey)) {
          const held = unmarshalIPNSRecord(await datastore.get(datastoreKey));
          if (unmarshalIPNSRecord(record).sequence < held.sequence) throw new HttpError(409, 'a record with a higher sequence is already held');
        }
        await datastore.put(datastoreKey, record);
        res.statusCode = 200;
        return res.end();
      }
      throw new HttpError(405, 'GET or PUT');
    }
    throw new HttpError(404, 'no such endpoint');
  }

  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!allowed.has(origin)) {
        res.statusCode = 403;
        return res.end('origin not allowed');
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, accept');
      res.statusCode = 204;
      return res.end();
    }
    if (credential && req.headers.authorization !== `Bearer ${credential}`) {
      res.statusCode = 401;
      return res.end('credential required');
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    handle(req, res, url).catch((error) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) process.stderr.write(`${error.stack ?? error}\n`);
      if (!res.headersSent) {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
      }
      res.end(JSON.stringify({ Message: error instanceof HttpError ? error.message : 'internal error', Code: 0, Type: 'error' }));
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
