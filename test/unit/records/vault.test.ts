import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';
import { generateBundle, markersIn } from '../../../shared/fhir/synthetic';
import type { ImportItem } from '../../../shared/protocol/ui/records';

// The vault's unlocked state comes from extension/keys (storage.session); here a fixed test phrase.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current }));

const { vaultDb } = await import('../../../extension/records/db');
const { closeVault } = await import('../../../extension/records/open-vault');
const { finishImport, importChunk } = await import('../../../extension/records/import');
const { getRecord, list, summary } = await import('../../../extension/records/browse');
const { backupPage, beginRestore, finishRestore, restoreChunk } = await import('../../../extension/vault-data/backup');

const PHRASE = 'test test test test test test test test test test test junk';
const seed = await mnemonicToSeed(PHRASE);
const unlock = () => (state.current = { seed, identity: deriveIdentity(seed) });

const { bundle, expected } = generateBundle(40, { invalid: 6, seed: 5 });
const entries = bundle.entry as Array<{ resource?: Record<string, unknown> }>;
const items: ImportItem[] = entries.filter((e) => e.resource).map((e, i) => ({ kind: 'resource', source: `entry ${i + 1}`, resource: e.resource! }));
const validCount = expected.filter((e) => e.ok).length;

async function wipe() {
  closeVault();
  const db = vaultDb();
  await Promise.all([db.records.clear(), db.keyBatches.clear(), db.indexChunks.clear(), db.meta.clear(), db.journal.clear()]);
}

describe('record vault storage (background side)', () => {
  beforeEach(async () => {
    unlock();
    await wipe();
  });

  it('refuses everything while locked', async () => {
    state.current = undefined;
    closeVault();
    await expect(summary()).rejects.toThrow('Unlock your vault first.');
    await expect(importChunk(crypto.randomUUID(), 0, items)).rejects.toThrow('Unlock your vault first.');
  });

  it('imports valid entries, explains invalid ones, de-duplicates, and stores no plaintext', async () => {
    const { outcomes } = await importChunk(crypto.randomUUID(), 0, items);
    expect(outcomes.filter((o) => o.status === 'imported')).toHaveLength(validCount);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) expect(o.reason).toMatch(/\w{10,}/);
    const again = await importChunk(crypto.randomUUID(), 0, items.slice(0, 5));
    expect(again.outcomes.every((o) => o.status !== 'imported')).toBe(true);

    const db = vaultDb();
    const stored = JSON.stringify([await db.records.toArray(), await db.indexChunks.toArray(), await db.meta.toArray()], (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    for (const m of [...markersIn(items.map((i) => (i as { resource: unknown }).resource)), 'Observation', 'loinc']) expect(stored).not.toContain(m);
    expect(await db.records.count()).toBe(validCount);
  });

  it('answers a re-sent chunk from its journal instead of importing it twice', async () => {
    const importId = crypto.randomUUID();
    const first = await importChunk(importId, 0, items);
    closeVault(); // a worker restart loses memory, not the journal
    const repeat = await importChunk(importId, 0, items);
    expect(repeat).toEqual(first);
    expect(await vaultDb().records.count()).toBe(validCount);
    await finishImport(importId);
    expect(await vaultDb().journal.count()).toBe(0);
  });

  it('lists, filters and searches from the decrypted index after a restart', async () => {
    await importChunk(crypto.randomUUID(), 0, items);
    closeVault();
    const all = await list({ offset: 0, limit: 100 });
    expect(all.total).toBe(validCount);
    const labs = await list({ category: 'labs', offset: 0, limit: 100 });
    expect(labs.entries.every((e) => e.category === 'labs')).toBe(true);
    const term = labs.entries[0]!.title;
    const found = await list({ query: term.toLowerCase(), offset: 0, limit: 100 });
    expect(found.entries.map((e) => e.title)).toContain(term);
  });

  it('reports a tampered record as damaged; the others still open', async () => {
    await importChunk(crypto.randomUUID(), 0, items);
    const [a, b] = (await list({ offset: 0, limit: 2 })).entries;
    const row = (await vaultDb().records.get(a!.id))!;
    row.envelope[30] ^= 1;
    await vaultDb().records.put(row);
    expect(await getRecord(a!.id)).toMatchObject({ damaged: true, entry: { title: a!.title } });
    const ok = await getRecord(b!.id);
    expect(ok.damaged).toBeUndefined();
    expect((ok as { resource: { resourceType: string } }).resource.resourceType).toBeTruthy();
  });

  it('backs up and restores into an empty vault with the same phrase: same records', async () => {
    await importChunk(crypto.randomUUID(), 0, items);
    const before = (await list({ offset: 0, limit: 100 })).entries;
    const page = await backupPage(0, 1000);
    expect((await summary()).backup.due).toBe(false);
    await wipe();
    expect((await beginRestore(page.header!)).count).toBe(validCount);
    const tampered = { ...page.rows[0]!, data: { ...page.rows[0]!.data, id: crypto.randomUUID() } };
    expect(await restoreChunk([...page.rows, tampered])).toEqual({ restored: validCount, skipped: 0, rejected: 1 });
    await finishRestore();
    expect((await list({ offset: 0, limit: 100 })).entries).toEqual(before);
    expect(await restoreChunk(page.rows).catch((e: Error) => e.message)).toMatch(/backup file again/);
  });

  it('refuses a backup made by another vault', async () => {
    await importChunk(crypto.randomUUID(), 0, items);
    const { header } = await backupPage(0, 1);
    state.current = { seed: await mnemonicToSeed('legal winner thank year wave sausage worth useful legal winner thank yellow'), identity: undefined as never };
    state.current.identity = deriveIdentity(state.current.seed);
    closeVault();
    await expect(beginRestore(header!)).rejects.toThrow(/different vault/);
  });
});

describe('record sealing', () => {
  it('writes exactly the shared/crypto record format: decryptRecord + unwrapDekBatch open it', async () => {
    const { sealRecords } = await import('../../../extension/records/seal');
    const { recordKeys } = await import('../../../extension/records/vault-keys');
    const { decryptRecord, contentHash } = await import('../../../shared/crypto/record-envelope');
    const { unwrapDekBatch } = await import('../../../shared/crypto/key-wrap');
    unlock();
    const keys = await recordKeys();
    const resources = [
      { resourceType: 'Observation', status: 'final', code: { text: 'Glucose' } },
      { resourceType: 'Condition', code: { text: 'Asthma' } },
    ];
    // A UUID (the fast AAD path) and a non-ASCII id (shared/crypto's recordAad itself).
    const ids = [crypto.randomUUID(), 'récord-ü'];
    const { rows, batch } = await sealRecords(keys, ids.map((id, i) => ({ id, resource: resources[i], dedupKey: 'ab'.repeat(32) })));
    const items = batch.records.map((r) => ({ recordId: r.id, version: r.version }));
    expect(items.map((i) => i.recordId)).toEqual(ids);
    const deks = await unwrapDekBatch(keys.dekWrap, batch.id, items, batch.wrapped);
    for (const [i, row] of rows.entries()) {
      expect(row).toMatchObject({ id: ids[i], dekRef: { batch: batch.id, index: i } });
      expect(row.wrappedDek).toBeUndefined();
      expect(row.contentHash).toBe(contentHash(row.envelope));
      const envelope = { v: 1 as const, recordId: row.id, patient: keys.patient, version: row.version, ciphertext: row.envelope, contentHash: row.contentHash };
      expect(await decryptRecord(envelope, deks.slice(32 * i, 32 * i + 32))).toEqual(resources[i]);
    }
  });
});
