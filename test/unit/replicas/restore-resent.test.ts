import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';
import { generateBundle } from '../../../shared/fhir/synthetic';
import type { ImportItem } from '../../../shared/protocol/ui/records';

// The restore's duplicate lookup (records/backup.ts: one count request per key in one read transaction)
// must still skip what is already here: a page sent twice restores nothing twice.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current }));

const { vaultDb } = await import('../../../extension/records/db');
const { closeVault } = await import('../../../extension/records/open-vault');
const { importChunk } = await import('../../../extension/records/import');
const { backupPage, beginRestore, finishRestore, restoreChunk } = await import('../../../extension/vault-data/backup');

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const { bundle, expected } = generateBundle(30, { invalid: 0, seed: 9 });
const items: ImportItem[] = (bundle.entry as Array<{ resource?: Record<string, unknown> }>).filter((e) => e.resource).map((e, i) => ({ kind: 'resource', source: `entry ${i + 1}`, resource: e.resource! }));
const valid = expected.filter((e) => e.ok).length;

async function wipe() {
  closeVault();
  const db = vaultDb();
  await Promise.all([db.records.clear(), db.keyBatches.clear(), db.indexChunks.clear(), db.meta.clear(), db.journal.clear()]);
}

describe('restore duplicate lookup', () => {
  beforeEach(async () => {
    state.current = { seed, identity: deriveIdentity(seed) };
    await wipe();
  });

  it('skips rows already here', async () => {
    await importChunk(crypto.randomUUID(), 0, items);
    const page = await backupPage(0, 1000);
    const records = page.rows.filter((r) => r.kind === 'records');
    await wipe();
    await beginRestore(page.header!);
    const first = records.slice(0, 5);
    expect(await restoreChunk(first)).toMatchObject({ restored: 5, skipped: 0, rejected: 0 });
    expect(await restoreChunk(records)).toMatchObject({ restored: records.length - 5, skipped: 5, rejected: 0 });
    expect(await restoreChunk(records)).toMatchObject({ restored: 0, skipped: records.length, rejected: 0 });
    await finishRestore();
    expect(await vaultDb().records.count()).toBe(valid);
  });

  // A restore into an empty vault answers "already here?" from what it wrote itself (records/backup.ts
  // ledger); records written by anyone else meanwhile must send it back to the lookup.
  it('skips rows another writer added during a restore into an empty vault', async () => {
    await importChunk(crypto.randomUUID(), 0, items);
    const page = await backupPage(0, 1000);
    const records = page.rows.filter((r) => r.kind === 'records');
    await wipe();
    await beginRestore(page.header!);
    expect(await restoreChunk(records.slice(0, 5))).toMatchObject({ restored: 5, skipped: 0 });
    await importChunk(crypto.randomUUID(), 0, items); // the same records, imported again meanwhile
    expect(await vaultDb().records.count()).toBe(valid);
    expect(await restoreChunk(records.slice(5))).toMatchObject({ restored: 0, skipped: records.length - 5, rejected: 0 });
    await finishRestore();
    expect(await vaultDb().records.count()).toBe(valid);
  });
});
