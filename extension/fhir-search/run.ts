import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { SearchParams } from '../../shared/protocol/page';
import { touchSite } from '../consent/permissions';
import { connectedOrigins } from '../consent/store';
import { unlocked } from '../keys/unlocked';
import type { StoredEntry } from '../records/entry';
import { openVault } from '../records/open-vault';
import type { RecordKeys } from '../records/vault-keys';
import { sitePermits } from './access';
import { searchsetBundle, withJsonText, type SearchsetBundle, type SearchsetEntry } from './bundle';
import { askedOutside, entryCovered, resourceCovered, type Permit } from './coverage';
import { entryMatches, resourceMatches } from './match';
import { dropAhead, openAhead, openBatch } from './open-records';
import { needsResourceCheck, parseQuery, type SearchQuery } from './query';

/**
 * securemed_search from start to Bundle:
 *   1. parse the query (-32602 on anything odd);
 *   2. a site that is not connected gets 4100 whether or not the vault is locked (it learns nothing);
 *      a connected site gets 4900 while locked;
 *   3. the permission: local state, then the chain (access.ts) → permits, else 4100; a query that
 *      names only types or categories outside them is 4100 too (coverage.ts askedOutside);
 *   4. candidates from the decrypted index: covered by a permit AND matching the query's index-level
 *      filters, newest first; nothing is decrypted yet;
 *   5. one page: decrypt candidates from `_offset` in order, keep those that pass the exact checks
 *      (chain category, code systems, meta), stop at `_count` entries or MAX_PAGE_CHARS of JSON;
 *   6. a site that pages gets its next page opened ahead while this one travels back (open-records.ts);
 *      its next request still runs 1–5 and only takes what step 4 lists and step 5 passes.
 * A record the exact checks drop was decrypted but is never sent; that happens only for filters the
 * index cannot answer (code with a system, category codes, _lastUpdated) or a record our display
 * category and the chain's classify differently (and for the one batch read past a page that filled
 * MAX_PAGE_CHARS, or a page opened ahead that the site never asks for).
 */
/** Bounded answer size: a page stops growing past this many JSON characters (one record always fits). */
export const MAX_PAGE_CHARS = 4 * 1024 * 1024;
/** Decrypt at most this many records at once (a page of 200 does not hold 200 plaintexts in flight). */
const DECRYPT_BATCH = 50;
/** Pages of at least this many records are followed by opening the next page ahead (open-records.ts). */
const READ_AHEAD_MIN_COUNT = 100;
/** "Last used" in the Sharing tab is written at most once a minute per site, not on every page. */
const TOUCH_EVERY_MS = 60_000;
const touched = new Map<string, number>();

export async function runSearch(origin: string, params: SearchParams): Promise<SearchsetBundle> {
  const q = parseQuery(params);
  if (!(await unlocked())) {
    if (!(await connectedOrigins()).includes(origin)) throw new ProviderRpcError(ProviderErrorCode.unauthorized, 'This site is not connected to SecureMed');
    throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked: the patient needs to unlock it');
  }
  const permits = await sitePermits(origin, q.grantee).catch((error: unknown) => {
    dropAhead(origin); // refused: nothing opened ahead for this site survives
    throw error;
  });
  const outside = askedOutside(permits, q);
  if (outside) throw new ProviderRpcError(ProviderErrorCode.unauthorized, outside);
  const { keys, index } = await openVault();
  const candidates = index.all().filter((e) => entryCovered(permits, e) && entryMatches(e, q));
  noteUse(origin);

  if (q.summaryCount) {
    const total = needsResourceCheck(q) ? await countExact(origin, keys, permits, candidates, q) : candidates.length;
    return searchsetBundle({ self: params, total });
  }

  const entries: SearchsetEntry[] = [];
  const entryJson: string[] = [];
  let chars = 0;
  let at = q.offset;
  // The next batch is read and decrypted while this one is checked (at most two batches in flight).
  const batchFrom = (from: number, have: number) => candidates.slice(from, from + Math.max(0, Math.min(DECRYPT_BATCH, q.count - have)));
  let batch = batchFrom(at, 0);
  let opening = batch.length ? openBatch(origin, keys, batch) : undefined;
  page: while (opening && entries.length < q.count) {
    const opened = await opening;
    const following = batchFrom(at + batch.length, entries.length + batch.length);
    opening = following.length ? openBatch(origin, keys, following) : undefined;
    for (let i = 0; i < batch.length; i++) {
      // `json` is the text the record was sealed as: sent as it is, not serialized again.
      const { resource, fullUrl, json } = opened[i]!;
      if (resource !== undefined && json !== undefined && resourceCovered(permits, resource, batch[i]!.sensitive) && resourceMatches(resource, q)) {
        const size = json.length + 200;
        if (entries.length > 0 && chars + size > MAX_PAGE_CHARS) break page; // this one starts the next page
        chars += size;
        entries.push({ fullUrl, resource, search: { mode: 'match' } });
        entryJson.push(json);
      }
      at++;
    }
    // Some were dropped by the exact checks: the page still wants more, from where this batch ended.
    if (!opening && entries.length < q.count && at < candidates.length) {
      batch = batchFrom(at, entries.length);
      opening = openBatch(origin, keys, batch);
    } else batch = following;
  }
  void opening?.catch(() => undefined); // a batch read past a full page (4 MiB) is dropped unsent
  const next = at < candidates.length ? { ...params, _offset: at } : undefined;
  // A site that pages (a follow-up page, or pages of READ_AHEAD_MIN_COUNT or more) is likely to ask for
  // the next one: open it now, while this answer travels back (open-records.ts says what keeps it safe).
  if (next && (q.offset > 0 || q.count >= READ_AHEAD_MIN_COUNT)) openAhead(origin, keys, candidates.slice(at, at + q.count), DECRYPT_BATCH);
  return withJsonText(searchsetBundle({ self: params, ...(next ? { next } : {}), entries }), entryJson);
}

/** The resources of a batch, in order; a damaged or missing record is undefined (skipped, never sent). */
async function openResources(origin: string, keys: RecordKeys, batch: readonly StoredEntry[]): Promise<unknown[]> {
  return (await openBatch(origin, keys, batch)).map((o) => o.resource);
}

async function countExact(origin: string, keys: RecordKeys, permits: readonly Permit[], candidates: readonly StoredEntry[], q: SearchQuery): Promise<number> {
  let total = 0;
  for (let at = 0; at < candidates.length; at += DECRYPT_BATCH) {
    const batch = candidates.slice(at, at + DECRYPT_BATCH);
    const opened = await openResources(origin, keys, batch);
    opened.forEach((r, i) => {
      if (r !== undefined && resourceCovered(permits, r, batch[i]!.sensitive) && resourceMatches(r, q)) total++;
    });
  }
  return total;
}

function noteUse(origin: string): void {
  const now = Date.now();
  if (now - (touched.get(origin) ?? 0) < TOUCH_EVERY_MS) return;
  touched.set(origin, now);
  void touchSite(origin).catch(() => undefined);
}
