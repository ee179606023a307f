import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { vaultDb, type RecordRow } from '../../../extension/records/db';
import { lock } from '../../../extension/keys/vault';
import { recordRowsById, rowCacheState, ROW_CACHE_BYTES } from '../../../extension/records/row-reads';

/**
 * A search page's row reads (extension/records/row-reads.ts): straight on IndexedDB (fake-indexeddb
 * here), kept in worker memory, and never served past a write, a lock or a content hash the index does
 * not name. Rows are written "behind Dexie's back" (on the raw connection, no hooks) to tell a row served
 * from memory from one read again.
 */
const row = (id: string, bytes = 64, hash = `0x${id.padEnd(64, '0')}`): RecordRow => ({
  id,
  envelope: new Uint8Array(bytes).fill(7),
  contentHash: hash,
  dedupKey: id,
  version: 1,
  dekRef: { batch: 'b', index: 0 },
});
const ask = (...rows: RecordRow[]) => rows.map((r) => ({ id: r.id, h: r.contentHash }));

/** A write IndexedDB sees but Dexie does not (no hook fires): only a read from disk notices it. */
async function writeBehindDexie(op: (store: IDBObjectStore) => void): Promise<void> {
  const tx = vaultDb().backendDB().transaction('records', 'readwrite');
  op(tx.objectStore('records'));
  await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = reject)));
}

const a = row('aa');
const b = row('bb');

beforeEach(async () => {
  fakeBrowser.reset();
  await vaultDb().records.clear(); // a Dexie write: empties the cache too
  await vaultDb().records.bulkPut([a, b]);
});

describe('record rows for search pages', () => {
  it('reads rows in order, undefined for an id the vault does not hold', async () => {
    const rows = await recordRowsById([...ask(b), { id: 'nope', h: '0x00' }, ...ask(a)]);
    expect(rows.map((r) => r?.id)).toEqual(['bb', undefined, 'aa']);
    expect(rows[0]!.envelope).toEqual(b.envelope);
  });

  it('a damaged row (no ciphertext, no hash) is handed over as it is, not kept, and the others still are', async () => {
    const damaged = { id: 'dd', dedupKey: 'dd', version: 1 } as unknown as RecordRow;
    await writeBehindDexie((s) => s.put(damaged));
    const rows = await recordRowsById([{ id: 'dd', h: '0x00' }, ...ask(a)]);
    expect(rows[0]).toEqual(damaged); // opening it reports this one record as damaged (records/seal.ts)
    expect(rows[1]?.id).toBe('aa');
    expect(rowCacheState().rows).toBe(1);
  });

  it('a second read of the same rows is served from memory', async () => {
    await recordRowsById(ask(a, b));
    expect(rowCacheState().rows).toBe(2);
    await writeBehindDexie((s) => s.delete('aa'));
    expect((await recordRowsById(ask(a)))[0]?.id).toBe('aa');
  });

  it('a row is served from memory only for the content hash the index names', async () => {
    await recordRowsById(ask(a));
    const changed = row('aa', 64, `0x${'cd'.repeat(32)}`);
    await writeBehindDexie((s) => s.put(changed));
    // The index now names the new hash: the kept row does not match it, so the row is read again.
    expect((await recordRowsById(ask(changed)))[0]?.contentHash).toBe(changed.contentHash);
  });

  it('any write through Dexie empties it inside the write, before it commits: add, update, delete, delete by query', async () => {
    const db = vaultDb();
    const writes = [() => db.records.put(row('cc')), () => db.records.update('bb', { dedupKey: 'x' }), () => db.records.delete('cc'), () => db.records.put(row('cc')), () => db.records.where('id').equals('cc').delete()];
    for (const write of writes) {
      await recordRowsById(ask(a));
      await writeBehindDexie((s) => s.delete('aa'));
      await db.transaction('rw', db.records, async () => {
        await write();
        expect(rowCacheState().rows).toBe(0); // not waiting for Dexie's after-commit event
      });
      expect((await recordRowsById(ask(a)))[0]).toBeUndefined(); // read from disk, where it is gone
      await vaultDb().records.put(a);
    }
  });

  it('a lock empties it', async () => {
    await recordRowsById(ask(a, b));
    await lock();
    expect(rowCacheState()).toEqual({ rows: 0, bytes: 0 });
  });

  it('a read that overlapped a write is not kept', async () => {
    const reading = recordRowsById(ask(a, b));
    await vaultDb().records.put(row('cc'));
    expect((await reading).map((r) => r?.id)).toEqual(['aa', 'bb']);
    expect(rowCacheState().rows).toBe(0);
  });

  it('holds at most ROW_CACHE_BYTES, dropping the least recently used rows first', async () => {
    const big = Array.from({ length: 12 }, (_, i) => row(`big-${i}`, 1024 * 1024));
    await vaultDb().records.bulkPut(big);
    await recordRowsById(ask(big[0]!));
    for (const r of big.slice(1)) {
      await recordRowsById(ask(r));
      await recordRowsById(ask(big[0]!)); // used again each time: never the one dropped
    }
    const { rows, bytes } = rowCacheState();
    expect(bytes).toBeLessThanOrEqual(ROW_CACHE_BYTES);
    expect(rows).toBe(7);
    await writeBehindDexie((s) => (s.delete('big-0'), s.delete('big-11'), s.delete('big-1')));
    const [first, last, early] = await recordRowsById(ask(big[0]!, big[11]!, big[1]!));
    expect([first?.id, last?.id, early?.id]).toEqual(['big-0', 'big-11', undefined]);
  });
});
