import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveReplicaKeys } from '../../shared/crypto/replica-keys';
import { utf8 } from '../../shared/crypto/bytes';
import { ipnsName, rawCid } from '../../extension/replicas/cid';
import { createIpnsRecord, verifyIpnsRecord } from '../../extension/replicas/ipns';
import { getBlock, getIpnsRecord, importBlocks, localRefs, NodeError, putIpnsRecord } from '../../extension/replicas/node-client';
import { EXTENSION_ORIGIN } from '../../shared/settings/extension-id';
import { startStorageNode, type StorageNode } from '../../storage-nodes/launch';

// One real storage node (Helia + file blockstore on Node 22, storage-nodes/) through the published API
// subset: blocks go in as a CAR, come back raw and hash-checked, the node lists what it holds on disk,
// and the IPNS head we sign by hand passes the node's reference validator (the `ipns` package).
let root: string;
let node: StorageNode;
const keys = deriveReplicaKeys(new Uint8Array(64).fill(7));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'securemed-nodes-'));
  node = await startStorageNode({ dir: join(root, 'a') });
});
afterAll(async () => {
  await node?.stop();
  rmSync(root, { recursive: true, force: true });
});

const block = (text: string) => {
  const bytes = utf8(text);
  return { cid: rawCid(bytes), bytes };
};

describe('a storage node', () => {
  it('stores a CAR of blocks, pins them, lists them as local, and serves each back by CID', async () => {
    const blocks = [block('one'), block('two'), block('three')];
    await importBlocks(node, blocks);
    const refs = await localRefs(node);
    for (const b of blocks) expect(refs.has(b.cid)).toBe(true);
    expect(await getBlock(node, blocks[1]!.cid)).toEqual(blocks[1]!.bytes);
    const pins = (await (await fetch(`${node.url}/api/v0/pin/ls`, { method: 'POST' })).json()) as { Keys: Record<string, unknown> };
    for (const b of blocks) expect(Object.keys(pins.Keys)).toContain(b.cid);
  });

  it('takes a single block through block/put and refuses a CAR whose block does not match its CID', async () => {
    const form = new FormData();
    form.append('file', new Blob([utf8('lonely')]));
    const put = (await (await fetch(`${node.url}/api/v0/block/put?pin=true`, { method: 'POST', body: form })).json()) as { Key: string };
    expect(put.Key).toBe(rawCid(utf8('lonely')));
    const forged = { cid: rawCid(utf8('what the name says')), bytes: utf8('something else') };
    await expect(importBlocks(node, [forged])).rejects.toThrow(/400/);
    expect((await localRefs(node)).has(forged.cid)).toBe(false);
  });

  it('answers 404 for a block it does not hold (it never fetches from elsewhere)', async () => {
    await expect(getBlock(node, block('never stored').cid)).rejects.toMatchObject({ kind: 'missing' });
  });

  it('publishes and resolves a signed IPNS head, keeping the highest sequence', async () => {
    const name = ipnsName(keys.ipnsPublic);
    expect(name).toMatch(/^k51/);
    expect(await getIpnsRecord(node, name)).toBeUndefined();
    await putIpnsRecord(node, name, createIpnsRecord(keys.ipnsPrivate, `/ipfs/${block('head 2').cid}`, 2n));
    const held = await getIpnsRecord(node, name);
    expect(verifyIpnsRecord(held!, keys.ipnsPublic)).toMatchObject({ value: `/ipfs/${block('head 2').cid}`, sequence: 2n });
    // An older record is refused; the node keeps sequence 2.
    await expect(putIpnsRecord(node, name, createIpnsRecord(keys.ipnsPrivate, '/ipfs/old', 1n))).rejects.toThrow(/409/);
    expect(verifyIpnsRecord((await getIpnsRecord(node, name))!, keys.ipnsPublic)?.sequence).toBe(2n);
  });

  it('refuses an IPNS record signed by another key, and our check refuses it too', async () => {
    const other = deriveReplicaKeys(new Uint8Array(64).fill(9));
    const name = ipnsName(keys.ipnsPublic);
    const forged = createIpnsRecord(other.ipnsPrivate, '/ipfs/forged', 99n);
    await expect(putIpnsRecord(node, name, forged)).rejects.toBeInstanceOf(NodeError);
    expect(verifyIpnsRecord(forged, keys.ipnsPublic)).toBeUndefined();
  });

  it('allows the extension origin and requests without an Origin, nothing else', async () => {
    const cid = block('one').cid;
    expect((await fetch(`${node.url}/ipfs/${cid}`, { headers: { origin: EXTENSION_ORIGIN } })).headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
    expect((await fetch(`${node.url}/ipfs/${cid}`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('asks for its credential when started with one', async () => {
    const guarded = await startStorageNode({ dir: join(root, 'guarded'), credential: 'hospital-token' });
    try {
      await expect(localRefs({ url: guarded.url })).rejects.toMatchObject({ kind: 'refused' });
      expect((await localRefs({ url: guarded.url, credential: 'hospital-token' })).size).toBe(0);
    } finally {
      await guarded.stop();
    }
  });
});
