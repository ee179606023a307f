import Dexie from 'dexie';
import { onLock } from '../keys/vault';

/**
 * For worker-memory copies of vault rows (fhir-search/site-cache.ts, records/row-reads.ts): call
 * `forget` on any write to `tableName`, so nothing kept outlives what it copies —
 *   - in this worker: Dexie's creating/updating/deleting hooks, synchronously inside the write, before
 *     it commits (a read that starts afterwards sees the new row);
 *   - from another extension page: Dexie's cross-context `storagemutated`, after that write commits;
 *   - on lock.
 * Hooks are registered once per (connection, forget): erasing the vault makes a new connection, which
 * the caller's next use registers again. `forget` must not return anything (a creating hook's return
 * value would become the new row's key).
 */
const hooked = new WeakMap<() => void, WeakSet<Dexie>>();
const everywhere = new Set<() => void>();

export function forgetOnWrite(db: Dexie, tableName: string, forget: () => void): void {
  let connections = hooked.get(forget);
  if (!connections) hooked.set(forget, (connections = new WeakSet()));
  if (connections.has(db)) return;
  connections.add(db);
  const table = db.table(tableName);
  const onWrite = () => void forget();
  table.hook('creating', onWrite);
  table.hook('updating', onWrite);
  table.hook('deleting', onWrite);
  if (everywhere.has(forget)) return;
  everywhere.add(forget);
  onLock(forget);
  Dexie.on('storagemutated', (parts) => {
    if (Object.keys(parts).some((part) => part.includes(`/${tableName}/`))) forget();
  });
}
