import { describe, expect, it, vi } from 'vitest';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';
import type { RelayResult, RelayStatus } from '../../../shared/chain/relayer';

// The tracker over the real consent store (fake IndexedDB, sealed rows) with a scripted chain port:
// a relayer that cannot be reached leaves the grant pending with the reason, and it is confirmed once
// the relayer answers; a stale signature is signed again; the page hears every change.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current }));

const { setConsentChain, runConsentTracker } = await import('../../../extension/consent/tracker');
const { updateSite, loadSite } = await import('../../../extension/consent/store');
const { setPageEventSink } = await import('../../../extension/consent/events');
const { newSite } = await import('../../../extension/consent/permissions');

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
state.current = { seed, identity: deriveIdentity(seed) };
const ORIGIN = 'https://portal.example';
const GRANTEE = '0x1111111111111111111111111111111111111111';

const unreachable: RelayResult = { ok: false, httpStatus: 0, retryable: true, error: { code: 'unreachable', message: 'The relayer could not be reached.' } };
const relay = (over: Partial<RelayStatus>): RelayResult => ({
  ok: true,
  httpStatus: 202,
  request: { id: 'ra_000000000000000000000001', function: 'grantBySig', contract: GRANTEE, signer: GRANTEE, status: 'pending', stage: 'queued', attempts: 1, createdAt: 0, updatedAt: 0, ...over },
});

async function seedPending() {
  const site = await newSite(ORIGIN);
  const now = Date.now();
  await updateSite(ORIGIN, () => ({
    ...site,
    permissions: [{
      grantee: GRANTEE, patient: GRANTEE, scopes: ['patient/Observation.rs'], mask: 1, purpose: 'TREAT' as const, purposeSalt: `0x${'00'.repeat(32)}`,
      expiresAt: Math.floor(now / 1000) + 86_400, status: 'pending' as const, chain: 'granting' as const, grantedAt: now, updatedAt: now,
    }],
  }));
}

describe('consent tracker', () => {
  it('relayer down → pending with the reason; back → submitted, then active with the tx; the page hears each change', async () => {
    await seedPending();
    const events: unknown[] = [];
    setPageEventSink((origin, event, data) => events.push({ origin, event, data }));
    const grant = vi.fn<() => Promise<RelayResult>>().mockResolvedValueOnce(unreachable).mockResolvedValueOnce(relay({}));
    const status = vi.fn<() => Promise<RelayResult>>().mockResolvedValue(relay({ status: 'confirmed', stage: 'done', txHash: `0x${'ab'.repeat(32)}` }));
    setConsentChain({ grant, revoke: vi.fn(), status });

    await runConsentTracker();
    let p = (await loadSite(ORIGIN))!.permissions[0]!;
    expect(p).toMatchObject({ status: 'pending', chain: 'granting', reason: expect.stringContaining('could not be reached') });
    await runConsentTracker(); // the relayer is back: accepted
    expect((await loadSite(ORIGIN))!.permissions[0]).toMatchObject({ status: 'pending', relayId: 'ra_000000000000000000000001' });
    await runConsentTracker(); // confirmed
    p = (await loadSite(ORIGIN))!.permissions[0]!;
    expect(p).toMatchObject({ status: 'active', chain: 'granted', txHash: `0x${'ab'.repeat(32)}` });
    expect(p.reason).toBeUndefined();
    const last = events.at(-1) as { origin: string; event: string; data: { permissions: Array<{ status: string }> } };
    expect(last).toMatchObject({ origin: ORIGIN, event: 'permissionsChanged' });
    expect(last.data.permissions.map((x) => x.status)).toEqual(['active']);
  });

  it('a grant refused for a stale signature is signed again; any other refusal fails with the reason', async () => {
    await seedPending();
    const grant = vi.fn<() => Promise<RelayResult>>()
      .mockResolvedValueOnce({ ok: false, httpStatus: 422, retryable: false, error: { code: 'reverted', message: 'would revert', revert: 'StaleEpoch' } })
      .mockResolvedValueOnce({ ok: false, httpStatus: 422, retryable: false, error: { code: 'reverted', message: 'would revert', revert: 'DurationTooLong' } });
    setConsentChain({ grant, revoke: vi.fn(), status: vi.fn() });
    await runConsentTracker();
    expect((await loadSite(ORIGIN))!.permissions[0]).toMatchObject({ status: 'pending', resigns: 1 });
    await runConsentTracker();
    expect((await loadSite(ORIGIN))!.permissions[0]).toMatchObject({ status: 'failed', chain: 'failed', reason: expect.stringContaining('DurationTooLong') });
    expect(grant).toHaveBeenCalledTimes(2);
  });
});
