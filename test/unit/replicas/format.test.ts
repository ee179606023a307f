import { describe, expect, it } from 'vitest';
import { deriveReplicaKeys } from '../../../shared/crypto/replica-keys';
import { ipnsName, rawCid } from '../../../extension/replicas/cid';
import { openManifest, openRowBlock, sealManifest, sealRowBlock } from '../../../extension/replicas/format';
import { createIpnsRecord, verifyIpnsRecord } from '../../../extension/replicas/ipns';
import { carOf } from '../../../extension/replicas/node-client';

// The replica format v1 (extension/replicas/README.md), still read by a restore; v2 is in format-v2.test.ts. The two frozen values pin the key derivation,
// the block seal and the CID spelling: a change to any of them would orphan every replica already stored.
const seed = new Uint8Array(64).map((_, i) => i);
const keys = deriveReplicaKeys(seed);
const row = { kind: 'records', data: { id: 'r1', n: 1 } };

describe('replica format v1', () => {
  it('derives the same IPNS name and row block CID as when the format was frozen', async () => {
    expect(ipnsName(keys.ipnsPublic)).toBe('k51qzi5uqu5dhemgzq1hxfgxdsknrvpa4zn49ocm64vbreokg03453qoqe7wit');
    expect((await sealRowBlock(keys, row)).cid).toBe('bafkreidfd5yjgmcb2scsdqhrzdah4rp7vm2cpei225iln56jlsk2qz5rnu');
  });

  it('seals a row deterministically (same row → same block), distinct rows apart, and opens it back', async () => {
    const a = await sealRowBlock(keys, row);
    expect((await sealRowBlock(keys, { kind: 'records', data: { n: 1, id: 'r1' } })).bytes).toEqual(a.bytes); // key order does not matter
    expect((await sealRowBlock(keys, { kind: 'records', data: { id: 'r2', n: 1 } })).cid).not.toBe(a.cid);
    expect(a.cid).toBe(rawCid(a.bytes));
    expect(await openRowBlock(keys, a.bytes)).toEqual(row);
  });

  it('refuses a block under another seed, a changed byte, and a manifest opened as a row', async () => {
    const a = await sealRowBlock(keys, row);
    await expect(openRowBlock(deriveReplicaKeys(new Uint8Array(64).fill(1)), a.bytes)).rejects.toMatchObject({ code: 'integrity' });
    const changed = a.bytes.slice();
    changed[20]! ^= 1;
    await expect(openRowBlock(keys, changed)).rejects.toMatchObject({ code: 'integrity' });
    const manifest = await sealManifest(keys, { format: 'securemed-replica', v: 1, createdAt: '2026-01-01T00:00:00.000Z', patient: `0x${'ab'.repeat(20)}`, kinds: { records: 1 }, kindManifests: {}, rows: [a.cid] });
    await expect(openRowBlock(keys, manifest.bytes)).rejects.toMatchObject({ code: 'integrity' });
    expect(await openManifest(keys, manifest.bytes)).toMatchObject({ v: 1, rows: [a.cid] });
  });

  it('signs IPNS heads that only its own key verifies, and refuses expired ones', () => {
    const record = createIpnsRecord(keys.ipnsPrivate, '/ipfs/bafy', 5n, Date.parse('2026-01-01'));
    expect(verifyIpnsRecord(record, keys.ipnsPublic, Date.parse('2026-06-01'))).toMatchObject({ value: '/ipfs/bafy', sequence: 5n });
    expect(verifyIpnsRecord(record, deriveReplicaKeys(new Uint8Array(64).fill(1)).ipnsPublic, Date.parse('2026-06-01'))).toBeUndefined();
    expect(verifyIpnsRecord(record, keys.ipnsPublic, Date.parse('2028-01-01'))).toBeUndefined();
    const tampered = record.slice();
    tampered[tampered.length - 3]! ^= 1;
    expect(verifyIpnsRecord(tampered, keys.ipnsPublic, Date.parse('2026-06-01'))).toBeUndefined();
  });

  it('writes a CAR v1 whose header names every block as a root', async () => {
    const a = await sealRowBlock(keys, row);
    const car = carOf([a]);
    // varint header length, then DAG-CBOR {roots: [tag 42 CID], version: 1}
    expect(car[1]).toBe(0xa2);
    expect(Buffer.from(car).includes(Buffer.from(a.bytes))).toBe(true);
  });
});
