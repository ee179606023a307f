import { describe, expect, it, vi } from 'vitest';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';
import { generateBundle } from '../../../shared/fhir/synthetic';
import type { ImportItem } from '../../../shared/protocol/ui/records';

// The registry's promise: a new kind of vault data is ONE entry. This file adds a throwaway kind to the
// registry (nothing else) and checks that the database gets its table and the backup carries it.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current }));
vi.mock('../../../extension/vault-data/registry', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../extension/vault-data/registry')>();
  const { sealedKind } = await import('../../../extension/vault-data/sealed-kind');
  return { ...actual, VAULT_DATA: [...actual.VAULT_DATA, sealedKind({ name: 'testNotes', table: 'testNotes', since: 8 })] };
});

const { vaultDb } = await import('../../../extension/records/db');
const { closeVault } = await import('../../../extension/records/open-vault');
const { importChunk } = await import('../../../extension/records/import');
const { recordKeys } = await import('../../../extension/records/vault-keys');
const { backupPage, beginRestore, finishRestore, restoreChunk } = await import('../../../extension/vault-data/backup');
const { openVaultData, sealVaultData } = await import('../../../extension/vault-data/sealed-kind');

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
state.current = { seed, identity: deriveIdentity(seed) };
const items: ImportItem[] = (generateBundle(6, { seed: 9 }).bundle.entry as Array<{ resource: Record<string, unknown> }>).map((e, i) => ({
  kind: 'resource',
  source: `e${i}`,
  resource: e.resource,
}));

describe('a vault data kind added to the registry', () => {
  it('gets its table in a new schema version and travels through backup and restore with no other wiring', async () => {
    const db = vaultDb();
    await importChunk(crypto.randomUUID(), 0, items);
    const records = await db.records.count();
    const keys = await recordKeys();
    const notes = db.table('testNotes');
    await notes.bulkAdd([
      { id: 'n1', sealed: await sealVaultData(keys, 'testNotes', 'n1', { text: 'first' }) },
      { id: 'n2', sealed: await sealVaultData(keys, 'testNotes', 'n2', { text: 'second' }) },
    ]);
    expect(db.verno).toBe(8);

    const page = await backupPage(0, 1000);
    expect(page.header).toMatchObject({ v: 2, count: records + 2, kinds: { records, testNotes: 2 } });
    const noteRows = page.rows.filter((r) => r.kind === 'testNotes');
    expect(noteRows.map((r) => r.data.id)).toEqual(['n1', 'n2']);
    // Paging crosses from one kind to the next without losing or repeating a row.
    const idsOf = (rows: typeof page.rows) => rows.map((r) => `${r.kind}/${r.data.id}`);
    const paged = [...(await backupPage(0, records - 1)).rows, ...(await backupPage(records - 1, 1000)).rows];
    expect(idsOf(paged)).toEqual(idsOf(page.rows));
    expect(new Set(idsOf(paged)).size).toBe(records + 2);

    closeVault();
    await Promise.all(db.tables.map((t) => t.clear()));
    await beginRestore(page.header!);
    // A note sealed for another id does not open here: rejected, like a record the manifest does not list.
    const moved = { kind: 'testNotes', data: { ...noteRows[0]!.data, id: 'n3' } };
    expect(await restoreChunk([...page.rows, moved])).toEqual({ restored: records + 2, skipped: 0, rejected: 1 });
    expect(await restoreChunk(noteRows)).toEqual({ restored: 0, skipped: 2, rejected: 0 });
    expect(await finishRestore()).toEqual({ total: records + 2 });
    const n2 = await notes.get('n2');
    expect(await openVaultData(keys, 'testNotes', 'n2', n2.sealed)).toEqual({ text: 'second' });
    expect(await db.records.count()).toBe(records);
  });
});
