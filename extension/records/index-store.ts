import { openJson as openSealedJson, sealedAad, sealJson as sealSealedJson } from '../../shared/crypto/sealed-json';
import { vaultDb } from './db';
import { revive, type StoredEntry } from './entry';
import type { RecordKeys } from './vault-keys';
import { logged } from '../logging/log';

/**
 * The search index at rest: a few encrypted chunks, each the JSON of StoredEntry[] sealed with
 * AES-256-GCM under identity.vault.searchIndex. An import commit appends one chunk in the same
 * transaction as its records (so records and index never disagree); opening decrypts every chunk
 * (a handful: see compact) into memory. 10,000 entries are ≈ 2–3 MB of JSON: one decrypt + parse.
 */
const COMPACT_ABOVE = 8;

/**
 * Seal any JSON value under the index key (shared/crypto's sealed box, AAD sealedAad.vaultJson);
 * `purpose` keeps index chunks ('vault'), the import journal and backups apart.
 */
export function sealJson(keys: RecordKeys, value: unknown, purpose: string): Promise<Uint8Array> {
  return sealSealedJson(keys.searchIndex, sealedAad.vaultJson(purpose, keys.patient), value);
}

/** Throws CryptoError('integrity') when the blob was modified, sealed for another purpose or another vault. */
export function openJson<T>(keys: RecordKeys, blob: Uint8Array, purpose: string): Promise<T> {
  return openSealedJson<T>(keys.searchIndex, sealedAad.vaultJson(purpose, keys.patient), blob);
}

export const sealEntries = (keys: RecordKeys, entries: StoredEntry[]) => sealJson(keys, entries, 'vault');
const openEntries = async (keys: RecordKeys, blob: Uint8Array) => revive(await openJson<StoredEntry[]>(keys, blob, 'vault'));

export interface LoadedIndex {
  entries: StoredEntry[];
  /** Chunks that failed to decrypt: their records are still in the vault but cannot be listed. */
  damagedChunks: number;
}

/** Decrypt every chunk. A damaged chunk is counted, not fatal: the other chunks still load. */
export async function loadIndex(keys: RecordKeys): Promise<LoadedIndex> {
  const chunks = await vaultDb().indexChunks.toArray();
  const opened = await Promise.all(chunks.map((c) => openEntries(keys, c.blob).catch(logged('records', 'an index chunk did not open (counted as damaged)'))));
  const entries: StoredEntry[] = [];
  let damagedChunks = 0;
  for (const part of opened) {
    if (part) entries.push(...part);
    else damagedChunks++;
  }
  return { entries, damagedChunks };
}

/**
 * Many small chunks make opening slower (one decrypt each); merge them into one when there are more
 * than COMPACT_ABOVE. Damaged chunks are kept as they are (never silently dropped). The crypto runs
 * outside the transaction (an IndexedDB transaction commits as soon as it waits on anything else); the
 * transaction then only swaps chunks if nobody appended one meanwhile.
 */
export async function compactIndex(keys: RecordKeys): Promise<void> {
  const db = vaultDb();
  const chunks = await db.indexChunks.toArray();
  if (chunks.length <= COMPACT_ABOVE) return;
  const merged: number[] = [];
  const entries: StoredEntry[] = [];
  for (const chunk of chunks) {
    const part = await openEntries(keys, chunk.blob).catch(logged('records', 'an index chunk did not open while merging (left as it is)'));
    if (!part) continue;
    merged.push(chunk.seq!);
    entries.push(...part);
  }
  const blob = await sealEntries(keys, entries);
  await db.transaction('rw', db.indexChunks, async () => {
    const now = await db.indexChunks.toCollection().primaryKeys();
    if (now.length !== chunks.length) return; // changed under us: try again next time
    await db.indexChunks.bulkDelete(merged);
    await db.indexChunks.add({ blob });
  });
}
