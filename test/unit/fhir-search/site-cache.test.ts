import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { deriveIdentity, deriveSiteGranteeAccount, mnemonicToSeed } from '../../../shared/crypto/identity';
import { ProviderErrorCode } from '../../../shared/protocol/errors';

/**
 * The permission step of securemed_search keeps a site's unsealed consent row in memory
 * (extension/fhir-search/site-cache.ts). A revoke must still apply at once: whatever writes the
 * consent store (updateSite as the Sharing tab and the page's revoke do, a plain saveSite, deleteSite,
 * clearing the table as a restore does) is seen by the very next search. The real consent store
 * (fake IndexedDB, sealed rows); the chain's answers stubbed: the grant is in force.
 */
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current, UNLOCKED_SEED_KEY: 'unlockedSeed' }));
const T0 = 1_900_000_000;
vi.mock('../../../extension/chain/reads', () => ({
  latestBlockTime: async () => BigInt(T0),
  grantOf: async () => ({ scopes: 0b101, expiresAt: BigInt(T0 + 86_400), grantedAt: 1n, emergencyUntil: 0n, emergencyDelegate: false, epoch: 1 }),
  forgetChainReads: () => undefined,
}));
// loadSite is counted, to see that the cache is used at all (otherwise these tests prove nothing).
const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../extension/consent/store', async (original) => {
  const real = await original<typeof import('../../../extension/consent/store')>();
  return { ...real, loadSite: (origin: string) => (loads.count++, real.loadSite(origin)) };
});

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const ORIGIN = 'https://portal.clinic.example';
const GRANTEE = '0x1111111111111111111111111111111111111111';
const store = await import('../../../extension/consent/store');
const { newSite } = await import('../../../extension/consent/permissions');
const { sitePermits } = await import('../../../extension/fhir-search/access');
const { cachedSite } = await import('../../../extension/fhir-search/site-cache');
const { vaultDb } = await import('../../../extension/records/db');

function permission(status: 'active' | 'revoked' = 'active') {
  return {
    grantee: GRANTEE, patient: deriveSiteGranteeAccount(seed, ORIGIN, GRANTEE).address, scopes: ['patient/Observation.rs?category=laboratory', 'patient/MedicationRequest.rs'],
    mask: 0b101, purpose: 'TREAT' as const, purposeSalt: `0x${'00'.repeat(32)}`, expiresAt: T0 + 86_400, status,
    chain: status === 'active' ? ('granted' as const) : ('revoking' as const), grantedAt: 1, updatedAt: 1,
  };
}
const revoke = (s: Awaited<ReturnType<typeof store.loadSite>>) => s && { ...s, permissions: s.permissions.map((p) => ({ ...p, status: 'revoked' as const, chain: 'revoking' as const })) };
const codeOf = (p: Promise<unknown>) => p.then(() => 'allowed', (e: { code?: number }) => e.code);

beforeEach(async () => {
  fakeBrowser.reset();
  state.current = { seed, identity: deriveIdentity(seed) };
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0 * 1000);
  await vaultDb().table(store.CONSENT_KIND).clear();
  await store.saveSite({ ...(await newSite(ORIGIN)), permissions: [permission()] });
  loads.count = 0;
});

describe('the cached consent row of a site', () => {
  it('is read from the store once for many searches while nothing is written', async () => {
    for (let i = 0; i < 5; i++) expect(await sitePermits(ORIGIN)).toHaveLength(1);
    expect(loads.count).toBe(1);
  });

  it('a revoke written through updateSite (Sharing tab, page revoke) is refused by the next search', async () => {
    expect(await sitePermits(ORIGIN)).toHaveLength(1);
    await store.updateSite(ORIGIN, revoke);
    expect(await codeOf(sitePermits(ORIGIN))).toBe(ProviderErrorCode.unauthorized);
  });

  it('a revoke written with a plain saveSite, a deleted site and a cleared table are all seen at once', async () => {
    expect(await sitePermits(ORIGIN)).toHaveLength(1);
    await store.saveSite(revoke((await store.loadSite(ORIGIN))!)!);
    expect(await codeOf(sitePermits(ORIGIN))).toBe(ProviderErrorCode.unauthorized);

    await store.saveSite({ ...(await newSite(ORIGIN)), permissions: [permission()] });
    expect(await sitePermits(ORIGIN)).toHaveLength(1);
    await store.deleteSite(ORIGIN);
    expect(await cachedSite(ORIGIN)).toBeUndefined();

    await store.saveSite({ ...(await newSite(ORIGIN)), permissions: [permission()] });
    expect(await sitePermits(ORIGIN)).toHaveLength(1);
    await vaultDb().table(store.CONSENT_KIND).clear(); // as a restore replaces the table
    expect(await codeOf(sitePermits(ORIGIN))).toBe(ProviderErrorCode.unauthorized);
  });

  it('a revoke written through another connection (another extension page) is seen too', async () => {
    const { VaultDb } = await import('../../../extension/records/db');
    const { recordKeys } = await import('../../../extension/records/vault-keys');
    const { sealVaultData } = await import('../../../extension/vault-data/sealed-kind');
    expect(await sitePermits(ORIGIN)).toHaveLength(1);
    const revoked = revoke((await store.loadSite(ORIGIN))!)!;
    const other = new VaultDb();
    await other.table(store.CONSENT_KIND).put({ id: ORIGIN, sealed: await sealVaultData(await recordKeys(), store.CONSENT_KIND, ORIGIN, revoked) });
    other.close();
    await vi.waitFor(async () => expect(await codeOf(sitePermits(ORIGIN))).toBe(ProviderErrorCode.unauthorized));
  });

  it('a search that was reading while a revoke was written does not keep the old row', async () => {
    const reading = cachedSite(ORIGIN); // in flight: its read may see the row before the revoke
    await store.updateSite(ORIGIN, revoke);
    await reading;
    expect(await codeOf(sitePermits(ORIGIN))).toBe(ProviderErrorCode.unauthorized);
  });

  it('another vault (other keys) never sees this one’s rows', async () => {
    expect(await sitePermits(ORIGIN)).toHaveLength(1);
    const other = await mnemonicToSeed('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about');
    state.current = { seed: other, identity: deriveIdentity(other) };
    // The row is sealed under the first vault's keys: unreadable here, so the site is not connected.
    expect(await cachedSite(ORIGIN)).toBeUndefined();
  });
});
