import { z } from 'zod';
import { concat, utf8 } from '../../shared/crypto/bytes';
import { blockMatches, parseRawCid, varint } from './cid';
import type { ReplicaBlock } from './format';

/**
 * One storage node, through the published APIs only (any IPFS node with these endpoints will do):
 * Kubo RPC `dag/import` (+ its root pinning) and `refs/local`, the trustless gateway `/ipfs/{cid}` as
 * raw blocks, and delegated routing v1 `/routing/v1/ipns/{name}`. Every byte read back is checked
 * against its CID here, so a node can withhold data but never change it unnoticed.
 */
export interface NodeConfig {
  url: string;
  credential?: string;
}

export class NodeError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'refused' | 'corrupt' | 'missing',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NodeError';
  }
}

const REQUEST_TIMEOUT_MS = 20_000;
const RefLine = z.object({ Ref: z.string(), Err: z.string().optional() });

function base(node: NodeConfig): string {
  return node.url.replace(/\/+$/, '');
}

async function call(node: NodeConfig, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (node.credential) headers.set('authorization', `Bearer ${node.credential}`);
  // Never from the browser's HTTP cache: the gateway marks blocks immutable, so a damaged block once read
  // would be served again from the cache after the node was repaired (and a lost block would look held),
  // and an IPNS answer must be the node's current one. Every health check asks the node itself.
  const send = () => fetch(`${base(node)}${path}`, { ...init, headers, cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    // A read is tried once more after a failure that was not a timeout: a kept-alive connection the node
    // had just closed fails the request without the node being down.
    const idempotent = (init.method ?? 'GET') === 'GET';
    if (!idempotent || (error instanceof DOMException && error.name === 'TimeoutError')) throw new NodeError(`${base(node)} is not reachable`, 'unreachable');
    try {
      response = await send();
    } catch {
      throw new NodeError(`${base(node)} is not reachable`, 'unreachable');
    }
  }
  if (response.status === 404) throw new NodeError(`${base(node)} does not have it`, 'missing');
  if (!response.ok) throw new NodeError(`${base(node)} answered ${response.status}`, 'refused');
  return response;
}

/** CAR v1 (the IPLD "CARv1" spec): header = DAG-CBOR {roots: [CID…], version: 1}, then varint ‖ CID ‖ block. */
export function carOf(blocks: readonly ReplicaBlock[]): Uint8Array {
  const cids = blocks.map((b) => parseRawCid(b.cid));
  const cborLength = (major: number, n: number) =>
    n < 24 ? Uint8Array.of((major << 5) | n) : n < 256 ? Uint8Array.of((major << 5) | 24, n) : n < 65536 ? Uint8Array.of((major << 5) | 25, n >> 8, n & 255) : Uint8Array.of((major << 5) | 26, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  // A CID in DAG-CBOR: tag 42 over the bytes 0x00 ‖ CID. Roots = every block: the node pins them all.
  const roots = concat(cborLength(4, cids.length), ...cids.map((cid) => concat(Uint8Array.of(0xd8, 42), cborLength(2, cid.length + 1), Uint8Array.of(0), cid)));
  const header = concat(Uint8Array.of(0xa2), cborLength(3, 5), utf8('roots'), roots, cborLength(3, 7), utf8('version'), Uint8Array.of(0x01));
  const parts: Uint8Array[] = [varint(header.length), header];
  blocks.forEach((block, i) => parts.push(varint(cids[i]!.length + block.bytes.length), cids[i]!, block.bytes));
  return concat(...parts);
}

/** Uploads blocks as one CAR; the node stores them and pins the roots (Kubo's default `pin-roots`). */
export async function importBlocks(node: NodeConfig, blocks: readonly ReplicaBlock[]): Promise<void> {
  const form = new FormData();
  form.append('file', new Blob([carOf(blocks) as Uint8Array<ArrayBuffer>], { type: 'application/vnd.ipld.car' }), 'replica.car');
  const response = await call(node, '/api/v0/dag/import?pin-roots=true', { method: 'POST', body: form });
  await response.text();
}

/**
 * Drops a block the node serves damaged, so the next import stores it afresh (a node keeps a block it
 * already has): unpin (Kubo refuses to remove a pinned block; "not pinned" is fine here), then `block/rm`.
 */
export async function removeBlock(node: NodeConfig, cid: string): Promise<void> {
  try {
    await (await call(node, `/api/v0/pin/rm?arg=${cid}`, { method: 'POST' })).arrayBuffer();
  } catch (error) {
    if (!(error instanceof NodeError && error.kind === 'refused')) throw error;
  }
  await (await call(node, `/api/v0/block/rm?arg=${cid}&force=true`, { method: 'POST' })).arrayBuffer();
}

/** What the node holds on its own disk (`refs/local`: nothing fetched from elsewhere), as CID strings. */
export async function localRefs(node: NodeConfig): Promise<Set<string>> {
  const text = await (await call(node, '/api/v0/refs/local', { method: 'POST' })).text();
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parsed = RefLine.safeParse(JSON.parse(line));
    if (parsed.success && !parsed.data.Err) out.add(parsed.data.Ref);
  }
  return out;
}

/** One raw block from the gateway, checked against its CID (NodeError 'corrupt' when it does not match). */
export async function getBlock(node: NodeConfig, cid: string): Promise<Uint8Array> {
  const response = await call(node, `/ipfs/${cid}?format=raw`, { headers: { accept: 'application/vnd.ipld.raw' } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!(await blockMatches(cid, bytes))) throw new NodeError(`${base(node)} served a block that does not match its CID`, 'corrupt');
  return bytes;
}

export async function putIpnsRecord(node: NodeConfig, name: string, record: Uint8Array): Promise<void> {
  const response = await call(node, `/routing/v1/ipns/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.ipfs.ipns-record' },
    body: record as Uint8Array<ArrayBuffer>,
  });
  await response.arrayBuffer();
}

/** The record the node holds for `name` (unverified: the caller checks the signature), or undefined. */
export async function getIpnsRecord(node: NodeConfig, name: string): Promise<Uint8Array | undefined> {
  try {
    const response = await call(node, `/routing/v1/ipns/${name}`, { headers: { accept: 'application/vnd.ipfs.ipns-record' } });
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof NodeError && error.kind === 'missing') return undefined;
    throw error;
  }
}
