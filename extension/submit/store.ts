import { vaultDb, type RecordRow } from '../records/db';
import type { StoredEntry } from '../records/entry';
import { describe } from '../records/fhir-adapter';
import { compactIndex, sealEntries } from '../records/index-store';
import { openVault } from '../records/open-vault';
import { sealRecords } from '../records/seal';
import type { SealedRow } from '../vault-data/sealed-kind';
import { logged } from '../logging/log';
import { provenanceRow, provenanceTable } from './provenance';
import type { Reviewed } from './review';

/**
 * Accepted records go through the records path the vault's import uses (records/seal.ts: a fresh DEK
 * per record in one key batch, canonical JSON, the encrypted index) and, in the SAME IndexedDB
 * transaction, each record's Provenance (provenance.ts): a record is never stored without where it came
 * from, nor a Provenance without its record.
 *
 * Stores run one at a time in this worker, and the keyed de-dup tags are checked again just before
 * writing, so two submissions of the same record (from two sites, or a re-sent request) store it once;
 * the unique `dedupKey` index refuses what a concurrent import from the vault page might race in.
 */
let tail: Promise<unknown> = Promise.resolve();

export interface StoredOne {
  index: number;
  id: string;
}

export function storeAccepted(who: { origin: string; grantee: string }, accepted: readonly Reviewed[], at = Date.now()): Promise<{ stored: StoredOne[]; duplicates: number[] }> {
  const run = tail.then(() => store(who, accepted, at));
  tail = run.catch(() => undefined);
  return run;
}

async function store(who: { origin: string; grantee: string }, accepted: readonly Reviewed[], at: number): Promise<{ stored: StoredOne[]; duplicates: number[] }> {
  const { keys, index } = await openVault();
  const db = vaultDb();
  const present = new Set((await db.records.where('dedupKey').anyOf(accepted.map((a) => a.dedupKey)).toArray()).map((r) => r.dedupKey));
  const fresh: Array<Reviewed & { id: string }> = [];
  const duplicates: number[] = [];
  for (const a of accepted) {
    if (present.has(a.dedupKey)) {
      duplicates.push(a.index); // arrived meanwhile (another site, an import): not stored twice
      continue;
    }
    present.add(a.dedupKey);
    fresh.push({ ...a, id: crypto.randomUUID() });
  }
  if (fresh.length === 0) return { stored: [], duplicates };

  // Crypto first, then one transaction with database work only (it would auto-commit on a foreign await).
  const { rows, batch } = await sealRecords(keys, fresh.map((f) => ({ id: f.id, resource: f.resource, dedupKey: f.dedupKey })));
  const entries: StoredEntry[] = fresh.map((f, i) => ({ ...describe(f.resource), id: f.id, h: rows[i]!.contentHash }));
  const indexBlob = await sealEntries(keys, entries);
  const provenance: SealedRow[] = await Promise.all(
    fresh.map((f) => provenanceRow(keys, f.id, { ...who, at, resource: f.resource as { resourceType: string; id?: string } })),
  );
  const table = provenanceTable();
  await db.transaction('rw', [db.records, db.keyBatches, db.indexChunks, table], async () => {
    await db.keyBatches.add(batch);
    await db.records.bulkAdd(rows as RecordRow[]);
    await db.indexChunks.add({ blob: indexBlob });
    await table.bulkAdd(provenance);
  });
  index.add(entries);
  await compactIndex(keys).catch(logged('submit', 'merge index chunks after a submit')); // only when there are many small ones
  return { stored: fresh.map((f) => ({ index: f.index, id: f.id })), duplicates };
}
