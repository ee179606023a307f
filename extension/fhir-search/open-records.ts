import { onLock } from '../keys/vault';
import type { StoredEntry } from '../records/entry';
import { recordRowsById } from '../records/row-reads';
import { openRecord } from '../records/seal';
import type { RecordKeys } from '../records/vault-keys';
import { siteFullUrl } from './bundle';

/**
 * Opening the records of a search page: ciphertext rows from IndexedDB, decrypted, each with the
 * site's fullUrl. And the next page of a site that pages, opened ahead while this page travels back
 * to it (issue 12 profile: reading + decrypting a page of 200 took ≈ 80 of its ≈ 170 ms, the trip
 * back ≈ 70 ms, and the worker sat idle during that trip).
 *
 * What is opened ahead stays in this worker's memory and is handed out only to a later search of the
 * same origin, under the same vault keys, for a record id that search's own candidates list (which it
 * computes after its own permission check, local state first), and every record still passes that
 * search's exact checks (run.ts). So a revoke in between is refused (4100) before anything opened
 * ahead is used, and an entry that left the permission is never sent. It is dropped after
 * AHEAD_TTL_MS, on lock, when the site is refused, on any consent change (access.ts), and when
 * another page is opened ahead (one at a time).
 */
export interface OpenedRecord {
  /** The resource, or undefined for a damaged or missing row (skipped, never sent). */
  resource: unknown;
  /** The resource's JSON text as it was sealed (canonical JSON), sent as it is; undefined with the resource. */
  json: string | undefined;
  fullUrl: string;
}

/** How long a page opened ahead is kept for the site's next request. */
export const AHEAD_TTL_MS = 10_000;

interface Ahead {
  origin: string;
  keys: RecordKeys;
  /** Record id → its content hash (as the index had it) and the record being opened. */
  records: Map<string, { h: string; opened: Promise<OpenedRecord | undefined> }>;
  timer: ReturnType<typeof setTimeout>;
}
let ahead: Ahead | undefined;
let dropOnLock = false;

/** Read and decrypt `batch` now (one read transaction; each record's fullUrl computed while it decrypts). */
async function openNow(origin: string, keys: RecordKeys, batch: readonly StoredEntry[]): Promise<OpenedRecord[]> {
  const rows = await recordRowsById(batch); // each entry's id and the content hash the index names
  return Promise.all(
    rows.map(async (row, i) => {
      const opening = row ? openRecord(keys, row, batch[i]!.h) : undefined;
      const fullUrl = siteFullUrl(origin, batch[i]!.id);
      const opened = await opening;
      return opened?.ok ? { resource: opened.resource, json: opened.json, fullUrl } : { resource: undefined, json: undefined, fullUrl };
    }),
  );
}

/** The records of `batch`, in order: those opened ahead for this origin and keys, the rest read now. */
export async function openBatch(origin: string, keys: RecordKeys, batch: readonly StoredEntry[]): Promise<OpenedRecord[]> {
  const taken = batch.map((e) => takeAhead(origin, keys, e));
  const missing = batch.filter((_, i) => !taken[i]);
  const fresh = missing.length ? openNow(origin, keys, missing) : Promise.resolve([]);
  const done = await Promise.all(taken.map((t) => t ?? Promise.resolve(undefined)));
  const freshDone = await fresh;
  let next = 0;
  const out: OpenedRecord[] = [];
  for (let i = 0; i < batch.length; i++) {
    // Not opened ahead, or opening ahead failed (then it is read now, like any other record).
    out.push(taken[i] ? (done[i] ?? (await openNow(origin, keys, [batch[i]!]))[0]!) : freshDone[next++]!);
  }
  return out;
}

function takeAhead(origin: string, keys: RecordKeys, entry: StoredEntry): Promise<OpenedRecord | undefined> | undefined {
  if (!ahead || ahead.origin !== origin || ahead.keys !== keys) return undefined;
  const found = ahead.records.get(entry.id);
  if (!found || found.h !== entry.h) return undefined;
  ahead.records.delete(entry.id); // handed out once
  return found.opened;
}

/**
 * Open `entries` (the next page's candidates, in order) in the background, `batchSize` at a time, one
 * batch after another so the worker keeps answering in between. Replaces any page opened ahead before.
 */
export function openAhead(origin: string, keys: RecordKeys, entries: readonly StoredEntry[], batchSize: number): void {
  dropAhead();
  if (!dropOnLock) {
    onLock(dropAhead);
    dropOnLock = true;
  }
  const mine: Ahead = { origin, keys, records: new Map(), timer: setTimeout(() => ahead === mine && dropAhead(), AHEAD_TTL_MS) };
  ahead = mine;
  let previous: Promise<unknown> = Promise.resolve();
  for (let at = 0; at < entries.length; at += batchSize) {
    const batch = entries.slice(at, at + batchSize);
    // Stop early when this page was dropped (a lock, a refusal, another page opened ahead).
    const opened = previous.then(() => (ahead === mine ? openNow(origin, keys, batch) : undefined)).catch(() => undefined);
    previous = opened;
    batch.forEach((e, i) => mine.records.set(e.id, { h: e.h, opened: opened.then((o) => o?.[i]) }));
  }
}

/** Forget what was opened ahead (lock, a refused site, a consent change). Records already handed out are the caller's. */
export function dropAhead(origin?: string): void {
  if (!ahead || (origin !== undefined && ahead.origin !== origin)) return;
  clearTimeout(ahead.timer);
  ahead.records.clear();
  ahead = undefined;
}

/** How many records are held opened ahead (tests). */
export function aheadSize(): number {
  return ahead?.records.size ?? 0;
}
