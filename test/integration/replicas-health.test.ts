import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveReplicaKeys } from '../../shared/crypto/replica-keys';
import { ipnsName } from '../../extension/replicas/cid';
import { NodeSet } from '../../extension/replicas/fetch';
import { canonicalRow, openManifest, openPack, sealManifest, sealPack, type ManifestV2, type PackEntry, type ReplicaBlock } from '../../extension/replicas/format';
import { packRows } from '../../extension/replicas/pack';
import { createIpnsRecord } from '../../extension/replicas/ipns';
import { localRefs } from '../../extension/replicas/node-client';
import { pushToNode } from '../../extension/replicas/push';
import { startStorageNode, type StorageNode } from '../../storage-nodes/launch';

// Three real storage nodes and the replica's own upload / health / fetch code (no browser): a lost node
// is refilled, a stopped one shows as unreachable and catches up when back, a node serving damaged
// blocks is detected and bypassed, and no node's disk holds the clinical text or the patient's address.
const PATIENT = '0x9a3f5e0c1b2d4e6f8a7b9c0d1e2f3a4b5c6d7e8f';
const CLINICAL = ['Type 2 diabetes mellitus', 'Metformin 500 mg', 'HbA1c 8.1 %', '12 Rose Street, Springfield'];
const keys = deriveReplicaKeys(new Uint8Array(64).fill(3));
const name = ipnsName(keys.ipnsPublic);
let root: string;
let nodes: StorageNode[];
let snapshot: { blocks: ReplicaBlock[]; manifest: ReplicaBlock };
let head: { name: string; record: Uint8Array };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function restart(i: number): Promise<void> {
  nodes[i] = await startStorageNode({ dir: nodes[i]!.dir, port: nodes[i]!.port });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'securemed-replicas-'));
  nodes = await Promise.all([1, 2, 3].map((i) => startStorageNode({ dir: join(root, `node-${i}`) })));
  // Rows in the backup's canonical form (the vault's own rows are already ciphertext; clear text here
  // proves the replica seal hides whatever a row holds). A few large rows make several packs, one of
  // them (a row over 1 MiB) cut into two parts.
  const rows = Array.from({ length: 60 }, (_, i) =>
    canonicalRow(keys, { kind: 'records', data: { id: `r${i}`, note: `${CLINICAL[i % CLINICAL.length]} (${i})`, patient: PATIENT, pad: 'x'.repeat(i % 10 === 0 ? 200_000 : 100) } }),
  );
  rows.push(canonicalRow(keys, { kind: 'records', data: { id: 'big', note: CLINICAL[0]!, pad: 'y'.repeat(1_300_000) } }));
  const packs: PackEntry[] = [];
  const parts: ReplicaBlock[] = [];
  for (const pack of packRows(rows)) {
    const sealed = await sealPack(keys, pack);
    packs.push(sealed.entry);
    parts.push(...sealed.parts);
  }
  expect(packs.length).toBeGreaterThan(1);
  expect(packs.at(-1)!.parts).toHaveLength(2);
  const manifest = await sealManifest(keys, { format: 'securemed-replica', v: 2, createdAt: new Date().toISOString(), patient: PATIENT, kinds: { records: rows.length }, kindManifests: {}, packs });
  snapshot = { blocks: [...parts, manifest], manifest };
  head = { name, record: createIpnsRecord(keys.ipnsPrivate, `/ipfs/${manifest.cid}`, 1n) };
});
afterAll(async () => {
  await Promise.all((nodes ?? []).map((n) => n.stop()));
  rmSync(root, { recursive: true, force: true });
});

describe('replicas on three storage nodes', () => {
  it('uploads everything to every node, and a second pass uploads nothing', async () => {
    const first = await Promise.all(nodes.map((n) => pushToNode(n, snapshot, head)));
    for (const check of first) expect(check).toMatchObject({ state: 'current', missing: snapshot.blocks.length, uploaded: snapshot.blocks.length });
    const second = await Promise.all(nodes.map((n) => pushToNode(n, snapshot, head)));
    for (const check of second) expect(check).toMatchObject({ state: 'current', missing: 0, uploaded: 0 });
  });

  it('restores from the head on any node: manifest, then every row', async () => {
    const set = new NodeSet(nodes);
    const found = await set.head(keys);
    expect(found?.value).toBe(`/ipfs/${snapshot.manifest.cid}`);
    const manifest = (await openManifest(keys, await set.block(snapshot.manifest.cid))) as ManifestV2;
    expect(manifest.v).toBe(2);
    const rows = (await Promise.all(manifest.packs.map(async (pack) => openPack(keys, pack, await Promise.all(pack.parts.map((cid) => set.block(cid))))))).flat();
    expect(rows.map((r) => r.data.id)).toEqual([...Array.from({ length: 60 }, (_, i) => `r${i}`), 'big']);
  });

  it('a stopped node is unreachable, a wiped node is refilled from what it says it holds, both catch up', async () => {
    await nodes[2]!.stop();
    for (const file of filesUnder(join(nodes[1]!.dir, 'blocks'))) rmSync(file);
    expect((await localRefs(nodes[1]!)).size).toBe(0);

    const [, wiped, stopped] = await Promise.all(nodes.map((n) => pushToNode(n, snapshot, head)));
    expect(stopped).toMatchObject({ state: 'unreachable' });
    expect(wiped).toMatchObject({ state: 'current', missing: snapshot.blocks.length, uploaded: snapshot.blocks.length });
    for (const block of snapshot.blocks) expect((await localRefs(nodes[1]!)).has(block.cid)).toBe(true);

    // The second head (a newer version) reaches the stopped node once it is back, on the same address.
    await restart(2);
    const newer = { name, record: createIpnsRecord(keys.ipnsPrivate, `/ipfs/${snapshot.manifest.cid}`, 2n) };
    expect(await pushToNode(nodes[2]!, snapshot, newer)).toMatchObject({ state: 'current', missing: 0 });
    expect((await new NodeSet([nodes[2]!]).head(keys))?.sequence).toBe(2n);
  });

  it('a node serving damaged blocks is bypassed on restore, then detected and repaired by the health check', async () => {
    for (const file of filesUnder(join(nodes[0]!.dir, 'blocks'))) {
      const bytes = readFileSync(file);
      bytes[bytes.length - 1]! ^= 0xff;
      writeFileSync(file, bytes);
    }
    const set = new NodeSet(nodes); // the damaged node first in line for the manifest and every third block
    const manifest = (await openManifest(keys, await set.block(snapshot.manifest.cid))) as ManifestV2;
    for (const pack of manifest.packs) await openPack(keys, pack, await Promise.all(pack.parts.map((cid) => set.block(cid))));
    expect([...set.damaged]).toEqual([nodes[0]!.url]);

    // The health check reads the manifest back, finds it damaged, checks every block and replaces each one.
    const check = await pushToNode(nodes[0]!, snapshot, head);
    expect(check).toMatchObject({ state: 'current', missing: 0, repaired: snapshot.blocks.length });
    const alone = new NodeSet([nodes[0]!]);
    for (const block of snapshot.blocks) expect(await alone.block(block.cid)).toEqual(block.bytes);
    expect(alone.damaged.size).toBe(0);
    expect(await pushToNode(nodes[0]!, snapshot, head, { verifyAll: true })).toMatchObject({ state: 'current', repaired: 0 });
  });

  it("no node's disk holds the clinical text or the patient's address, in any spelling", async () => {
    const needles = [...CLINICAL, PATIENT, PATIENT.slice(2), PATIENT.slice(2).toUpperCase(), Buffer.from(PATIENT.slice(2), 'hex').toString('base64')];
    let scanned = 0;
    for (const node of nodes) {
      for (const file of filesUnder(node.dir)) {
        const text = readFileSync(file).toString('latin1');
        scanned++;
        for (const needle of needles) expect(text.includes(needle), `${needle} in ${file}`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(snapshot.blocks.length * 2);
  });
});
