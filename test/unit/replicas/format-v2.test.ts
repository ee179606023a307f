import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../../shared/crypto/bytes';
import { unwrapDek, wrapDek } from '../../../shared/crypto/key-wrap';
import { deriveReplicaKeys } from '../../../shared/crypto/replica-keys';
import { rawCid } from '../../../extension/replicas/cid';
import { canonicalRow, openManifest, openPack, PART_BYTES, sealManifest, sealPack, type CanonicalRow } from '../../../extension/replicas/format';
import { PACK_MAX_BYTES, PACK_TARGET_BYTES, packRows, packWithLayout } from '../../../extension/replicas/pack';
import { stableRecordWrap } from '../../../extension/replicas/stable-wrap';

// Replica format v2 (extension/replicas/README.md "Format"): rows packed many to a block. The frozen
// values pin the row digest, the pack seal and the cut rule: a change to any of them would make every
// device re-upload its whole vault and stop two devices' manifests from merging row by row.
const keys = deriveReplicaKeys(new Uint8Array(64).map((_, i) => i));
const row = (i: number, pad = 3000) => canonicalRow(keys, { kind: 'records', data: { id: `r${i}`, envelope: 'e'.repeat(pad), n: i } });
const ids = (packs: CanonicalRow[][]) => packs.map((p) => p.map((r) => r.digest));

describe('replica format v2', () => {
  it('gives the same row digest and pack CID as when the format was frozen', async () => {
    expect(canonicalRow(keys, { kind: 'records', data: { id: 'r1', n: 1 } }).digest).toBe('cea99f88e0f63b36978fb6a779dc9dd1');
    const { entry } = await sealPack(keys, [row(1, 10), row(2, 10)]);
    expect(entry).toEqual({ parts: ['bafkreif3al3offnzney5ooih7b2yqqdnddkbvsno3nnavhzcvzjtadfymm'], rows: [row(1, 10).digest, row(2, 10).digest] });
    expect(ids(packRows(Array.from({ length: 400 }, (_, i) => row(i)))).map((p) => p.length)).toEqual([141, 75, 184]);
  });

  it('seals a pack deterministically (key order does not matter) and opens it back, checking its rows', async () => {
    const rows = [row(1), row(2), row(3)];
    const a = await sealPack(keys, rows);
    const b = await sealPack(keys, [canonicalRow(keys, { data: { n: 1, envelope: 'e'.repeat(3000), id: 'r1' }, kind: 'records' }), row(2), row(3)]);
    expect(b.parts.map((p) => p.cid)).toEqual(a.parts.map((p) => p.cid));
    expect(a.parts[0]!.cid).toBe(rawCid(a.parts[0]!.bytes));
    expect((await openPack(keys, a.entry, a.parts.map((p) => p.bytes))).map((r) => r.data.id)).toEqual(['r1', 'r2', 'r3']);
    // The manifest entry must list exactly the pack's rows; another seed or a changed byte does not open.
    await expect(openPack(keys, { ...a.entry, rows: a.entry.rows.slice(1) }, a.parts.map((p) => p.bytes))).rejects.toThrow(TypeError);
    await expect(openPack(deriveReplicaKeys(new Uint8Array(64).fill(1)), a.entry, a.parts.map((p) => p.bytes))).rejects.toMatchObject({ code: 'integrity' });
    const changed = a.parts[0]!.bytes.slice();
    changed[30]! ^= 1;
    await expect(openPack(keys, a.entry, [changed])).rejects.toMatchObject({ code: 'integrity' });
  });

  it('cuts a pack larger than a block into parts of at most 1 MiB, in order', async () => {
    const big = row(9, 2_500_000);
    const { entry, parts } = await sealPack(keys, [big]);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.bytes.length).toBeLessThanOrEqual(PART_BYTES);
    expect((await openPack(keys, entry, parts.map((p) => p.bytes)))[0]!.data.id).toBe('r9');
    await expect(openPack(keys, entry, [parts[1]!.bytes, parts[0]!.bytes, parts[2]!.bytes])).rejects.toMatchObject({ code: 'integrity' });
  });

  it('packs to about the target size, never over the maximum, and a change moves only its own pack', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(i));
    const packs = packRows(rows);
    const sizes = packs.map((p) => p.reduce((n, r) => n + r.bytes.length + 1, 0));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(PACK_MAX_BYTES);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(PACK_TARGET_BYTES / 3);
    expect(mean).toBeLessThan(PACK_TARGET_BYTES * 2);

    const before = new Set(ids(packs).map((p) => p.join()));
    const inserted = [...rows.slice(0, 1500), row(100_000), ...rows.slice(1500)];
    const removed = rows.filter((_, i) => i !== 700);
    for (const changed of [inserted, removed]) {
      const after = ids(packRows(changed)).map((p) => p.join());
      const fresh = after.filter((p) => !before.has(p));
      expect(fresh.length).toBeGreaterThanOrEqual(1);
      expect(fresh.length).toBeLessThanOrEqual(2);
    }
  });

  it('keeps the last layout through a bulk insert: only the new rows (and a small tail) make new packs', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row(i));
    const layout = packRows(rows).map((p) => p.map((r) => r.digest));
    // 500 new rows spread through the vault's order (record ids are random), one old row removed.
    const grown = rows.flatMap((r, i) => (i % 4 === 0 ? [r, row(10_000 + i)] : [r])).filter((_, i) => i !== 30);
    const packs = packWithLayout(grown, layout).map((p) => p.map((r) => r.digest));
    expect(new Set(packs.flat())).toEqual(new Set(grown.map((r) => r.digest)));
    expect(packs.flat()).toHaveLength(grown.length);
    const old = new Set(layout.map((p) => p.join()));
    const unchanged = packs.filter((p) => old.has(p.join())).length;
    expect(unchanged).toBeGreaterThanOrEqual(layout.length - 2); // the pack that lost a row, and maybe a small tail
    const fresh = packs.filter((p) => !old.has(p.join()));
    expect(fresh.flat().length).toBeLessThan(500 + 400);
    // Without a layout it is the content rule; with its own layout, nothing changes.
    expect(packWithLayout(rows, []).map((p) => p.length)).toEqual(packRows(rows).map((p) => p.length));
    expect(packWithLayout(rows, layout).map((p) => p.map((r) => r.digest))).toEqual(layout);
  });

  it('names every pack part in a v2 manifest', async () => {
    const { entry } = await sealPack(keys, [row(1)]);
    const manifest = await sealManifest(keys, { format: 'securemed-replica', v: 2, createdAt: '2026-01-01T00:00:00.000Z', patient: `0x${'ab'.repeat(20)}`, kinds: { records: 1 }, kindManifests: {}, packs: [entry] });
    expect(await openManifest(keys, manifest.bytes)).toMatchObject({ v: 2, packs: [entry] });
  });

  it('re-wraps a record key under a nonce from its id and key: the same row every time, still opening', async () => {
    const vaultKey = new Uint8Array(32).fill(5);
    const dek = new Uint8Array(32).fill(6);
    const id = '0b9f6d1e-3c1a-4f7e-9a53-2d3b5c6e7f80';
    const data = (wrapped: Uint8Array) => ({ id, envelope: 'AAAA', wrappedDek: toBase64(wrapped), contentHash: `0x${'0'.repeat(64)}`, dedupKey: '1'.repeat(64), version: 1 });
    const a = await stableRecordWrap(keys, vaultKey, data(await wrapDek(vaultKey, id, dek)));
    const b = await stableRecordWrap(keys, vaultKey, data(await wrapDek(vaultKey, id, dek)));
    expect(a).toEqual(b);
    expect(await unwrapDek(vaultKey, id, fromBase64(a.wrappedDek as string))).toEqual(dek);
    const other = await stableRecordWrap(keys, vaultKey, data(await wrapDek(vaultKey, id, new Uint8Array(32).fill(7))));
    expect(other.wrappedDek).not.toBe(a.wrappedDek);
    // A damaged wrap is left as it is (restore rejects it); a row without a wrap passes through.
    expect(await stableRecordWrap(keys, vaultKey, { ...data(new Uint8Array(60)) })).toEqual(data(new Uint8Array(60)));
    expect(await stableRecordWrap(keys, vaultKey, { id: 'x', sealed: 'AAAA' })).toEqual({ id: 'x', sealed: 'AAAA' });
  });
});
