import type Dexie from 'dexie';
import { CONSENT_KIND, loadSite, type SiteRecord } from '../consent/store';
import { vaultDb } from '../records/db';
import { forgetOnWrite } from '../records/forget-on-write';
import { recordKeys, type RecordKeys } from '../records/vault-keys';
import { dropAhead } from './open-records';

/**
 * A site's consent row, unsealed once and kept in worker memory for the searches that follow (each
 * search read it from IndexedDB and unsealed it again: part of the ≈ 10 ms permission step per call
 * in the issue 12 profile). A revoke must still apply at once, so the cache trusts nothing it did not
 * see written:
 *   - any write to the consent table in this worker (Dexie hooks on put, add, delete and clear: a
 *     revoke from the page, the Sharing tab, the chain sync, a restore) empties it synchronously,
 *     inside the write, before the write commits — a search that starts afterwards reads the new row;
 *   - a write from another extension page arrives through Dexie's cross-context `storagemutated`;
 *   - a load that overlapped a write is not kept (`generation`);
 *   - rows are tied to the vault keys they were unsealed with, and dropped on lock.
 * Callers get the cached object: read it, never change it.
 */
const MAX_SITES = 64;
let generation = 0;
let cache: { keys: RecordKeys; db: Dexie; sites: Map<string, SiteRecord | undefined> } | undefined;

/** Forget every cached row (a consent write, lock), and any page opened ahead (open-records.ts). */
export function forgetSites(): void {
  generation++;
  cache = undefined;
  dropAhead();
}

/** The site's consent row as loadSite gives it, from memory while no consent write happened since. */
export async function cachedSite(origin: string): Promise<SiteRecord | undefined> {
  const db = vaultDb();
  forgetOnWrite(db, CONSENT_KIND, forgetSites);
  const keys = await recordKeys();
  if (cache?.keys === keys && cache.db === db && cache.sites.has(origin)) return cache.sites.get(origin);
  const seen = generation;
  const site = await loadSite(origin);
  if (seen === generation && vaultDb() === db) {
    if (cache?.keys !== keys || cache.db !== db || cache.sites.size >= MAX_SITES) cache = { keys, db, sites: new Map() };
    cache.sites.set(origin, site);
  }
  return site;
}
