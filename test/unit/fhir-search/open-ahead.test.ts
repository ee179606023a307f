import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';

/**
 * The next page of a site that pages is opened ahead (extension/fhir-search/open-records.ts): handed
 * out once, only to the same origin and vault keys, only for the record (id + content hash) asked
 * for, and dropped on a consent write, on lock, on refusal and after AHEAD_TTL_MS. The real vault
 * rows (sealed records in fake IndexedDB) and the real consent store.
 */
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current, UNLOCKED_SEED_KEY: 'unlockedSeed' }));

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const A = 'https://portal.clinic.example';
const B = 'https://ehr.example';
const { vaultDb } = await import('../../../extension/records/db');
const { sealRecords } = await import('../../../extension/records/seal');
const { recordKeys } = await import('../../../extension/records/vault-keys');
const { openAhead, openBatch, aheadSize, dropAhead, AHEAD_TTL_MS } = await import('../../../extension/fhir-search/open-records');
const { siteFullUrl } = await import('../../../extension/fhir-search/bundle');
const store = await import('../../../extension/consent/store');
const { newSite } = await import('../../../extension/consent/permissions');
const { cachedSite } = await import('../../../extension/fhir-search/site-cache');

const resources = Array.from({ length: 6 }, (_, i) => ({ resourceType: 'Observation', id: `lab-${i}`, status: 'final', code: { text: `Lab ${i}` } }));
type Entry = { id: string; h: string };
let entries: Entry[] = [];

beforeEach(async () => {
  fakeBrowser.reset();
  state.current = { seed, identity: deriveIdentity(seed) };
  dropAhead();
  const db = vaultDb();
  await Promise.all([db.records.clear(), db.keyBatches.clear()]);
  const keys = await recordKeys();
  const { rows, batch } = await sealRecords(keys, resources.map((resource, i) => ({ id: crypto.randomUUID(), resource, dedupKey: i.toString(16).padStart(64, '0') })));
  await db.records.bulkPut(rows);
  await db.keyBatches.put(batch);
  entries = rows.map((r) => ({ id: r.id, h: r.contentHash }));
});
afterEach(() => vi.useRealTimers());

const asStored = (e: Entry[]) => e as unknown as Parameters<typeof openBatch>[2];

describe('a page opened ahead', () => {
  it('is handed out once to the same origin, with that origin’s fullUrls', async () => {
    const keys = await recordKeys();
    const next = asStored(entries.slice(2));
    openAhead(A, keys, next, 2);
    expect(aheadSize()).toBe(4);
    const opened = await openBatch(A, keys, next);
    expect(opened.map((o) => o.resource)).toEqual(resources.slice(2));
    expect(opened.map((o) => o.fullUrl)).toEqual(entries.slice(2).map((e) => siteFullUrl(A, e.id)));
    expect(aheadSize()).toBe(0);
  });

  it('another origin or other keys never take it (they read their own)', async () => {
    const keys = await recordKeys();
    openAhead(A, keys, asStored(entries), 3);
    const forB = await openBatch(B, keys, asStored(entries.slice(0, 2)));
    expect(forB.map((o) => o.resource)).toEqual(resources.slice(0, 2));
    expect(forB[0]!.fullUrl).toBe(siteFullUrl(B, entries[0]!.id));
    expect(aheadSize()).toBe(6);
    const otherKeys = { ...keys };
    await openBatch(A, otherKeys, asStored(entries.slice(0, 2)));
    expect(aheadSize()).toBe(6);
  });

  it('a record whose content hash differs from the index is read again, not taken', async () => {
    const keys = await recordKeys();
    openAhead(A, keys, asStored(entries), 6);
    const changed = { ...entries[0]!, h: '0x' + '00'.repeat(32) };
    const [opened] = await openBatch(A, keys, asStored([changed]));
    expect(opened!.resource).toBeUndefined(); // the hash check of openRecord refuses it: damaged, never sent
    expect(aheadSize()).toBe(6);
  });

  it('is dropped by any consent write (a revoke), and after its time is up', async () => {
    const keys = await recordKeys();
    await cachedSite(A); // the consent table is watched once the permission step has run
    openAhead(A, keys, asStored(entries), 2);
    await store.saveSite({ ...(await newSite(A)), permissions: [] });
    expect(aheadSize()).toBe(0);

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    openAhead(A, keys, asStored(entries), 2);
    expect(aheadSize()).toBe(6);
    vi.advanceTimersByTime(AHEAD_TTL_MS + 1);
    expect(aheadSize()).toBe(0);
  });

  it('a refusal drops only that site’s page', async () => {
    const keys = await recordKeys();
    openAhead(A, keys, asStored(entries), 2);
    dropAhead(B);
    expect(aheadSize()).toBe(6);
    dropAhead(A);
    expect(aheadSize()).toBe(0);
  });
});
