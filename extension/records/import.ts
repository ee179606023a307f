import type { ImportItem, ItemOutcome } from '../../shared/protocol/ui/records';
import { vaultDb, type RecordRow } from './db';
import type { StoredEntry } from './entry';
import { dedupKeyOf, describe, prepareItems } from './fhir-adapter';
import { compactIndex, openJson, sealEntries, sealJson } from './index-store';
import { openVault } from './open-vault';
import { sealRecords } from './seal';

// What happened to each item; declared with the request that answers it (shared/protocol/ui/records.ts).
export type { ItemOutcome } from '../../shared/protocol/ui/records';

const journalKey = (importId: string, seq: number) => `${importId}:${String(seq).padStart(7, '0')}`;

/**
 * Import, one chunk per call. The vault page splits files into entries and sends chunk 0, 1, 2… in
 * order, waiting for each answer (that answer is the progress). A chunk's records, its index chunk and
 * its outcomes (encrypted, in the journal) commit in ONE IndexedDB transaction, so after a worker
 * restart the page re-sends the chunk in flight and gets either the journaled answer (it had committed)
 * or a fresh import (it had not): nothing is lost and nothing is stored twice.
 */
export async function importChunk(importId: string, seq: number, items: ImportItem[]): Promise<{ outcomes: ItemOutcome[] }> {
  const { keys, index } = await openVault();
  const db = vaultDb();
  const key = journalKey(importId, seq);
  const done = await db.journal.get(key);
  if (done) return { outcomes: await openJson<ItemOutcome[]>(keys, done.blob, 'import journal') };

  const outcomes: ItemOutcome[] = [];
  const fresh: Array<{ outcome: ItemOutcome; resource: Record<string, unknown>; dedupKey: string }> = [];
  const preparedAll = await prepareItems(items);
  for (const [i, item] of items.entries()) {
    const prepared = preparedAll[i];
    if (!prepared.ok) {
      outcomes.push({ source: item.source, status: 'rejected', reason: prepared.reason });
      continue;
    }
    const outcome: ItemOutcome = { source: item.source, status: 'imported' };
    outcomes.push(outcome);
    fresh.push({ outcome, resource: prepared.resource, dedupKey: dedupKeyOf(keys.dedup, prepared.resource) });
  }

  // Duplicates: already in the vault, or twice in this chunk. Compared by keyed hash only.
  const existing = new Set(
    (await db.records.where('dedupKey').anyOf(fresh.map((f) => f.dedupKey)).toArray()).map((r) => r.dedupKey),
  );
  const toStore: Array<{ f: (typeof fresh)[number]; id: string; shown: ReturnType<typeof describe> }> = [];
  for (const f of fresh) {
    const shown = describe(f.resource);
    Object.assign(f.outcome, { title: shown.title, category: shown.category });
    if (existing.has(f.dedupKey)) {
      f.outcome.status = 'duplicate';
      continue;
    }
    existing.add(f.dedupKey);
    f.outcome.id = crypto.randomUUID();
    toStore.push({ f, id: f.outcome.id, shown });
  }
  // The whole chunk (≤ 500) sealed together; its DEKs go into one key batch committed with the rows.
  const { rows, batch } = toStore.length
    ? await sealRecords(keys, toStore.map(({ f, id }) => ({ id, resource: f.resource, dedupKey: f.dedupKey })))
    : { rows: [] as RecordRow[], batch: undefined };
  const entries: StoredEntry[] = toStore.map(({ id, shown }, i) => ({ ...shown, id, h: rows[i]!.contentHash }));

  // Crypto first, then a transaction with database work only (it would auto-commit on a foreign await).
  const indexBlob = entries.length ? await sealEntries(keys, entries) : undefined;
  const journalBlob = await sealJson(keys, outcomes, 'import journal');
  await db.transaction('rw', [db.records, db.keyBatches, db.indexChunks, db.journal], async () => {
    if (batch) await db.keyBatches.add(batch);
    if (rows.length) await db.records.bulkAdd(rows);
    if (indexBlob) await db.indexChunks.add({ blob: indexBlob });
    await db.journal.put({ key, blob: journalBlob });
  });
  index.add(entries);
  return { outcomes };
}

/** The page is done: forget this import's journal and merge the small index chunks. */
export async function finishImport(importId: string): Promise<{ total: number }> {
  const { keys, index } = await openVault();
  await vaultDb().journal.where('key').startsWith(`${importId}:`).delete();
  await compactIndex(keys);
  return { total: index.size };
}
