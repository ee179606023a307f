import { DEK_LENGTH, unwrapDekBatch } from '../../shared/crypto/key-wrap';
import { vaultDb, type KeyBatchRow, type RecordRow } from './db';
import type { RecordKeys } from './vault-keys';

/**
 * Unwrapped key batches (schema v2, see db.ts): opening one record decrypts its whole batch (≤ 500 DEKs,
 * 16 KB), so the batch is kept in worker memory while unlocked; the next record of the same import opens
 * without touching the vault key again. Tied to the RecordKeys it was unwrapped with (another seed in the
 * same worker never sees it) and dropped, zeroed, on lock (open-vault.ts closeVault). Failures are not
 * cached: a damaged batch fails again for each of its records, and each is reported damaged on its own.
 */
interface Unwrapped {
  /** The record list the batch's AAD authenticated (id + version per index). */
  records: KeyBatchRow['records'];
  deks: Uint8Array;
}
let cache: { keys: RecordKeys; batches: Map<string, Promise<Unwrapped>> } | undefined;

function unwrapBatch(keys: RecordKeys, batchId: string): Promise<Unwrapped> {
  if (cache?.keys !== keys) {
    forgetKeyBatches();
    cache = { keys, batches: new Map() };
  }
  const batches = cache.batches;
  let pending = batches.get(batchId);
  if (!pending) {
    pending = (async () => {
      const row = await vaultDb().keyBatches.get(batchId);
      if (!row) throw new TypeError('key batch missing');
      const items = row.records.map((r) => ({ recordId: r.id, version: r.version }));
      return { records: row.records, deks: await unwrapDekBatch(keys.dekWrap, row.id, items, row.wrapped) };
    })();
    batches.set(batchId, pending);
    pending.catch(() => batches.get(batchId) === pending && batches.delete(batchId));
  }
  return pending;
}

/**
 * The DEK of a batched row, as a copy (the caller zeroes it). The batch's authenticated record list must
 * name this row at its index with its version: a reference moved to another record's slot fails here,
 * as a per-record wrap moved to another record fails its AAD.
 */
export async function batchDek(keys: RecordKeys, row: RecordRow): Promise<Uint8Array> {
  const ref = row.dekRef!;
  const { records, deks } = await unwrapBatch(keys, ref.batch);
  const listed = records[ref.index];
  if (!Number.isInteger(ref.index) || listed?.id !== row.id || listed.version !== row.version) {
    throw new TypeError('key batch does not list this record');
  }
  return deks.slice(ref.index * DEK_LENGTH, (ref.index + 1) * DEK_LENGTH);
}

/** On lock (and when the keys change): zero and forget every unwrapped batch. */
export function forgetKeyBatches(): void {
  const old = cache;
  cache = undefined;
  for (const p of old?.batches.values() ?? []) void p.then((u) => u.deks.fill(0), () => undefined);
}
