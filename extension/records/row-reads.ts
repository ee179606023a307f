import type Dexie from 'dexie';
import { vaultDb, type RecordRow } from './db';
import { forgetOnWrite } from './forget-on-write';

/**
 * Record rows for a search page, by id, in order (undefined for an id the vault does not hold).
 *
 * Read straight on the connection Dexie opened, in one readonly transaction: a page reads 200 rows by
 * random id (IndexedDB has no batch get by key list, so it is one request per row), and Dexie wraps
 * every request's callbacks in its promise-zone bookkeeping, which in the issue 12 CPU profile cost about
 * as much worker time as the reads themselves. Dexie still owns the schema, the connection and every write.
 *
 * Rows read are kept in worker memory, up to ROW_CACHE_BYTES, so a site that pages through the same
 * records again (a portal reloading its list) does not read them again: each IndexedDB read also costs
 * the browser process a round trip, on the same two cores as everything else. What is kept is what is on
 * disk — ciphertext, content hash and key reference, never a key or plaintext — and it is trusted no
 * more than the disk: a row is served only when its content hash is the one the caller's index entry
 * names, and opening it still checks that hash and the AES-GCM tag. It is emptied synchronously by any
 * write to the records table in this worker (Dexie hooks, inside the write), by writes from other
 * extension pages (Dexie's cross-context `storagemutated`) and on lock; a read that overlapped a write
 * is not kept; it is tied to one connection (erasing the vault makes a new one). The worker itself
 * lives only while pages call it, which bounds how long anything stays.
 */
export const ROW_CACHE_BYTES = 8 * 1024 * 1024;
/** A row's size in the cache: its ciphertext plus an allowance for the other fields. */
const rowBytes = (row: RecordRow) => row.envelope.byteLength + 256;
/**
 * Only well-formed rows are kept; a damaged one (no ciphertext, no hash) is still handed to the caller,
 * which reports that record as damaged and opens the others, exactly as before.
 */
const keepable = (row: RecordRow | undefined): row is RecordRow =>
  typeof row === 'object' && row !== null && typeof row.id === 'string' && typeof row.contentHash === 'string' && row.envelope instanceof Uint8Array;

let cache: { db: Dexie; rows: Map<string, RecordRow>; bytes: number } | undefined;

/** Forget every kept row (a records write, a lock). */
export function forgetRows(): void {
  cache = undefined;
}

/** `wanted`: each record's id and the content hash its index entry names. */
export async function recordRowsById(wanted: ReadonlyArray<{ id: string; h: string }>): Promise<Array<RecordRow | undefined>> {
  const db = vaultDb();
  forgetOnWrite(db, 'records', forgetRows);
  if (cache?.db !== db) cache = { db, rows: new Map(), bytes: 0 };
  const mine = cache;
  const rows = new Array<RecordRow | undefined>(wanted.length);
  const missing: number[] = [];
  wanted.forEach(({ id, h }, i) => {
    const row = mine.rows.get(id);
    if (row && typeof h === 'string' && row.contentHash.toLowerCase() === h.toLowerCase()) {
      rows[i] = row;
      mine.rows.delete(id); // most recently used last: eviction takes the oldest first
      mine.rows.set(id, row);
    } else missing.push(i);
  });
  if (!missing.length) return rows;
  const read = await readRows(db, missing.map((i) => wanted[i]!.id));
  missing.forEach((i, k) => (rows[i] = read[k]));
  // A write or lock while reading replaced `cache`: what was read then is not kept.
  if (cache === mine) for (const row of read) if (keepable(row)) keep(mine, row);
  return rows;
}

function keep(into: NonNullable<typeof cache>, row: RecordRow): void {
  const size = rowBytes(row);
  if (size > ROW_CACHE_BYTES) return;
  const old = into.rows.get(row.id);
  if (old) into.bytes -= rowBytes(old);
  into.rows.delete(row.id);
  into.rows.set(row.id, row);
  into.bytes += size;
  for (const [id, oldest] of into.rows) {
    if (into.bytes <= ROW_CACHE_BYTES) break;
    into.rows.delete(id);
    into.bytes -= rowBytes(oldest);
  }
}

async function readRows(db: Dexie, ids: readonly string[]): Promise<Array<RecordRow | undefined>> {
  if (!db.isOpen()) await db.open();
  let store: IDBObjectStore;
  try {
    store = db.backendDB().transaction('records', 'readonly').objectStore('records');
  } catch {
    // The connection is closing (a wipe or an upgrade elsewhere): Dexie reopens it and says what failed.
    return db.table<RecordRow, string>('records').bulkGet([...ids]);
  }
  return new Promise((resolve, reject) => {
    const rows = new Array<RecordRow | undefined>(ids.length);
    let left = ids.length;
    if (left === 0) resolve(rows);
    ids.forEach((id, i) => {
      const request = store.get(id);
      request.onsuccess = () => {
        rows[i] = request.result as RecordRow | undefined;
        if (--left === 0) resolve(rows);
      };
      request.onerror = () => reject(request.error ?? new Error('record read failed'));
    });
  });
}

/** What the cache holds now (tests). */
export function rowCacheState(): { rows: number; bytes: number } {
  return { rows: cache?.rows.size ?? 0, bytes: cache?.bytes ?? 0 };
}
