import { vaultDb, type RecordRow } from './db';

/**
 * Record rows by id, in order (undefined for an id the vault does not hold), in one readonly IndexedDB
 * transaction issued straight on the connection Dexie opened. Why not `records.bulkGet`: a search page
 * reads 200 rows by random id (IndexedDB has no batch get by key list, so it is one request per row),
 * and Dexie wraps every request's callbacks in its promise-zone bookkeeping; in the issue 12 CPU profile
 * that bookkeeping cost about as much worker time as the reads themselves. Dexie still owns the schema,
 * the connection and every write; this is a read of rows whose shape db.ts defines.
 */
export async function recordRowsById(ids: readonly string[]): Promise<Array<RecordRow | undefined>> {
  const db = vaultDb();
  if (!db.isOpen()) await db.open();
  let store: IDBObjectStore;
  try {
    store = db.backendDB().transaction('records', 'readonly').objectStore('records');
  } catch {
    // The connection is closing (a wipe or an upgrade elsewhere): Dexie reopens it and says what failed.
    return db.records.bulkGet([...ids]);
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
