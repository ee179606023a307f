import { beforeEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';
import { wrapDek } from '../../../shared/crypto/key-wrap';
import { encryptRecord } from '../../../shared/crypto/record-envelope';
import { generateBundle } from '../../../shared/fhir/synthetic';
import type { ImportItem } from '../../../shared/protocol/ui/records';

// Schema v2 (key batches) beside v1 rows (own wrapped DEK): both open, damage stays per record.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current }));

const { vaultDb, VaultDb } = await import('../../../extension/records/db');
const { closeVault } = await import('../../../extension/records/open-vault');
const { importChunk } = await import('../../../extension/records/import');
const { getRecord, list } = await import('../../../extension/records/browse');
const { exportBundlePage } = await import('../../../extension/records/export');
const { backupPage, beginRestore, finishRestore, restoreChunk } = await import('../../../extension/vault-data/backup');
const { recordKeys } = await import('../../../extension/records/vault-keys');
const { RECORD_VERSION } = await import('../../../extension/records/seal');

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const unlock = () => (state.current = { seed, identity: deriveIdentity(seed) });
const itemsOf = (n: number, s: number): ImportItem[] =>
  (generateBundle(n, { seed: s }).bundle.entry as Array<{ resource: Record<string, unknown> }>).map((e, i) => ({ kind: 'resource', source: `e${i}`, resource: e.resource }));

async function wipe() {
  closeVault();
  const db = vaultDb();
  await Promise.all([db.records.clear(), db.keyBatches.clear(), db.indexChunks.clear(), db.meta.clear(), db.journal.clear()]);
}
const opens = async (id: string) => !(await getRecord(id)).damaged;

describe('key batches (schema v2)', () => {
  beforeEach(async () => {
    unlock();
    await wipe();
  });

  it('one key batch per import chunk; a damaged batch marks its records damaged, never the others', async () => {
    await importChunk(crypto.randomUUID(), 0, itemsOf(12, 1));
    await importChunk(crypto.randomUUID(), 0, itemsOf(12, 2));
    const db = vaultDb();
    const [a, b] = await db.keyBatches.toArray();
    expect(b).toBeDefined();
    expect((await db.records.toArray()).every((r) => r.dekRef && !r.wrappedDek)).toBe(true);
    const victim = a!.records.map((r) => r.id);
    const others = b!.records.map((r) => r.id);
    expect(await opens(victim[0]!)).toBe(true); // now cached in worker memory

    a!.wrapped[20] ^= 1;
    await db.keyBatches.put(a!);
    expect(await opens(victim[1]!)).toBe(true); // the unlocked cache still holds the batch…
    closeVault(); // …lock drops it
    for (const id of victim) expect(await opens(id)).toBe(false);
    for (const id of others) expect(await opens(id)).toBe(true);
    const page = await exportBundlePage(0, 100);
    expect(page).toMatchObject({ damaged: victim.length, read: victim.length + others.length });
  });

  it("a row pointed at another record's slot, or a relabelled batch list, is damaged", async () => {
    await importChunk(crypto.randomUUID(), 0, itemsOf(8, 3));
    const db = vaultDb();
    const [batch] = await db.keyBatches.toArray();
    const [x, y] = batch!.records;
    const row = (await db.records.get(x!.id))!;
    await db.records.put({ ...row, dekRef: { batch: batch!.id, index: 1 } });
    expect(await opens(x!.id)).toBe(false);
    expect(await opens(y!.id)).toBe(true);
    closeVault();
    // Swapping two ids in the stored list fails the batch's AAD: every record of it is damaged.
    batch!.records[0] = y!;
    batch!.records[1] = x!;
    await db.keyBatches.put(batch!);
    expect(await opens(y!.id)).toBe(false);
  });

  it('v1 rows (own wrapped DEK) still open beside v2 rows', async () => {
    await importChunk(crypto.randomUUID(), 0, itemsOf(4, 4));
    const keys = await recordKeys();
    const id = crypto.randomUUID();
    const resource = { resourceType: 'Observation', status: 'final', code: { text: 'Legacy row' } };
    const { envelope, dek } = await encryptRecord({ recordId: id, patient: keys.patient, version: RECORD_VERSION }, resource);
    const wrappedDek = await wrapDek(keys.dekWrap, id, dek);
    await vaultDb().records.add({ id, envelope: envelope.ciphertext, wrappedDek, contentHash: envelope.contentHash, dedupKey: 'cd'.repeat(32), version: RECORD_VERSION });
    expect(await getRecord(id)).toMatchObject({ resource });
    expect(await opens((await list({ offset: 0, limit: 1 })).entries[0]!.id)).toBe(true);
  });

  it('upgrades a v1 database in place: rows kept, keyBatches added', async () => {
    const name = `vault-upgrade-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ records: 'id, &dedupKey', indexChunks: '++seq', meta: 'key', journal: 'key' });
    const row = { id: 'r1', envelope: new Uint8Array(40), wrappedDek: new Uint8Array(60), contentHash: '0x', dedupKey: 'k', version: 1 };
    await v1.table('records').add(row);
    v1.close();
    const v2 = new VaultDb(name);
    expect(await v2.records.get('r1')).toEqual(row);
    expect(await v2.keyBatches.count()).toBe(0);
    expect(v2.verno).toBeGreaterThanOrEqual(2); // the registry's newest version (later kinds add versions)
    v2.close();
  });

  it('backs batched rows up with their own wrap (no key batch in the file); restore checks them as before', async () => {
    await importChunk(crypto.randomUUID(), 0, itemsOf(10, 5));
    await importChunk(crypto.randomUUID(), 0, itemsOf(10, 6));
    const db = vaultDb();
    const [damaged] = await db.keyBatches.toArray();
    damaged!.wrapped[30] ^= 1;
    await db.keyBatches.put(damaged!);
    closeVault();
    const page = await backupPage(0, 1000);
    expect(page.header).toMatchObject({ v: 2, kinds: { records: 20 } });
    expect(page.rows.every((r) => r.kind === 'records')).toBe(true);
    const lost = new Set(damaged!.records.map((r) => r.id));
    for (const r of page.rows) expect((r.data.wrappedDek as string).length > 0).toBe(!lost.has(r.data.id as string));
    await wipe();
    await beginRestore(page.header!);
    expect(await restoreChunk(page.rows)).toEqual({ restored: page.rows.length - lost.size, skipped: 0, rejected: lost.size });
    await finishRestore();
    for (const r of page.rows) if (!lost.has(r.data.id as string)) expect(await opens(r.data.id as string)).toBe(true);
  });
});
