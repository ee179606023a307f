import { verifyTypedData } from 'ethers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { consentDomain, GRANT_TYPES, REVOKE_TYPES } from '../../../shared/chain/eip712';
import { deriveIdentity, deriveSiteGranteeAccount, mnemonicToSeed } from '../../../shared/crypto/identity';
import { DEFAULT_SETTINGS } from '../../../shared/settings/schema';
import { approvedPermission, BLOCK_TIME, dueNow, relayStatus as relayStatusBy, stubRelayer, TX } from './queue-fixture';

// Consent through the shared transaction queue, in node: the real consent store and the real queue
// (fake IndexedDB, sealed rows, real EIP-712 signing by the pairwise account); the chain's reads are
// stubbed (block time, the pair's slot, receipts) and the relayer is a stubbed fetch.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current, UNLOCKED_SEED_KEY: 'unlockedSeed' }));
const chain = vi.hoisted(() => ({ up: true }));
const unavailable = async () => {
  const { UiError } = await import('../../../shared/protocol/ui-errors');
  return new UiError('unavailable', 'The chain did not answer.');
};
vi.mock('../../../extension/chain/reads', () => ({
  latestBlockTime: async () => {
    if (!chain.up) throw await unavailable();
    return BLOCK_TIME;
  },
  encryptionKeyOf: async () => undefined,
  findKeyPublication: async () => undefined,
  receiptOf: async (hash: string) => ({ txHash: hash, blockNumber: 7, success: true }),
  forgetChainReads: () => undefined,
}));
vi.mock('../../../extension/chain/rpc', () => ({
  readContract: async () => {
    if (!chain.up) throw await unavailable();
    return { scopes: 0n, expiresAt: 0n, epoch: 3n };
  },
  chainContext: async () => ({}),
  readChain: async () => undefined,
}));

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const identity = deriveIdentity(seed);
const ORIGIN = 'https://portal.example';
const GRANTEE = '0x1111111111111111111111111111111111111111';
const account = deriveSiteGranteeAccount(seed, ORIGIN, GRANTEE);

const { queueGrant, revokePermissions, syncConsent } = await import('../../../extension/consent/sync');
const { saveSite, loadSite, updateSite } = await import('../../../extension/consent/store');
const { setPageEventSink } = await import('../../../extension/consent/events');
const { newSite } = await import('../../../extension/consent/permissions');
const { queuedActions, runQueue } = await import('../../../extension/tx-queue/queue');

const down = () => {
  throw new TypeError('Failed to fetch');
};
const relayStatus = (fn: string, status: string, n = 1) => relayStatusBy(fn, status, account.address, n);

/** An approved permission saved as request-permissions saves it, and its grant queued. */
async function approve() {
  const p = approvedPermission(GRANTEE, account.address);
  await saveSite({ ...(await newSite(ORIGIN)), permissions: [p] });
  const actionId = await queueGrant(ORIGIN, p);
  await updateSite(ORIGIN, (s) => s && { ...s, permissions: [{ ...p, actionId }] });
  return actionId;
}
const permission = async () => (await loadSite(ORIGIN))!.permissions[0]!;

beforeEach(() => {
  state.current = { seed, identity };
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('consent through the transaction queue', () => {
  it('relayer down → pending with the reason; back → active with the tx; signed by the pairwise account; the page hears each change', async () => {
    const events: Array<{ origin: string; event: string; data: { permissions: Array<{ status: string; reason?: string }> } }> = [];
    setPageEventSink((origin, event, data) => events.push({ origin, event, data: data as (typeof events)[number]['data'] }));
    const posts = stubRelayer(down);
    const actionId = await approve();
    await runQueue();
    await syncConsent();
    expect(await permission()).toMatchObject({ status: 'pending', chain: 'granting', actionId, reason: expect.stringContaining('could not be reached') });
    expect(events.at(-1)).toMatchObject({ origin: ORIGIN, event: 'permissionsChanged', data: { permissions: [{ status: 'pending', reason: expect.stringContaining('could not be reached') }] } });

    // The relayer is back, accepts, and reports the block: no action from the patient or the page.
    const accepted = stubRelayer(() => ({ status: 202, json: relayStatus('grantBySig', 'pending') }), () => ({ status: 200, json: relayStatus('grantBySig', 'confirmed') }));
    await dueNow();
    await runQueue();
    await dueNow();
    await runQueue();
    await syncConsent();
    expect(await permission()).toMatchObject({ status: 'active', chain: 'granted', txHash: TX });
    expect((await permission()).reason).toBeUndefined();
    expect(events.at(-1)!.data.permissions.map((p) => p.status)).toEqual(['active']);

    // What went out: grantBySig by the (origin, grantee) account, against the pair's epoch and block time.
    const body = accepted[0] ?? posts[0]!;
    expect(body.function).toBe('grantBySig');
    expect(body.message).toMatchObject({ patient: account.address, grantee: GRANTEE, scopes: 1, epoch: 3, deadline: (BLOCK_TIME + 600n).toString() });
    const signer = verifyTypedData(consentDomain(DEFAULT_SETTINGS.chainId, DEFAULT_SETTINGS.contracts.ConsentRegistry), GRANT_TYPES, body.message, body.signature);
    expect(signer).toBe(account.address);
    expect(signer).not.toBe(identity.messaging.address);
  });

  it('revoke of an active grant: stopped locally at once, then revokeBySig through the queue, then removed', async () => {
    const posts = stubRelayer(() => ({ status: 202, json: relayStatus('revokeBySig', 'pending', 2) }), () => ({ status: 200, json: relayStatus('revokeBySig', 'confirmed', 2) }));
    const site = await revokePermissions(ORIGIN);
    expect(site!.permissions[0]).toMatchObject({ status: 'revoked', chain: 'revoking' });
    const revoke = (await queuedActions()).find((a) => a.kind === 'revoke')!;
    expect(revoke).toBeDefined();
    await dueNow();
    await runQueue();
    await dueNow();
    await runQueue();
    await syncConsent();
    expect(await permission()).toMatchObject({ status: 'revoked', chain: 'revoked', txHash: TX });
    const body = posts.find((b) => b.function === 'revokeBySig')!;
    expect(verifyTypedData(consentDomain(DEFAULT_SETTINGS.chainId, DEFAULT_SETTINGS.contracts.ConsentRegistry), REVOKE_TYPES, body.message, body.signature)).toBe(account.address);
  });

  it('revoke before the grant ever left this browser: the grant is dropped from the queue and nothing is sent', async () => {
    chain.up = false; // nothing to sign against: the grant waits in the queue, never POSTed
    const posts = stubRelayer(() => ({ status: 202, json: relayStatus('grantBySig', 'pending', 3) }));
    const actionId = await approve();
    await runQueue();
    expect((await queuedActions()).find((a) => a.id === actionId)).toMatchObject({ state: 'pending', attempts: 0 });
    await revokePermissions(ORIGIN);
    expect((await queuedActions()).find((a) => a.id === actionId)).toBeUndefined();
    expect((await queuedActions()).some((a) => a.kind === 'revoke' && a.state === 'pending')).toBe(false);
    expect(await permission()).toMatchObject({ status: 'revoked', chain: 'revoked' });
    chain.up = true;
    await dueNow();
    await runQueue();
    expect(posts).toHaveLength(0);
  });

  it('a revoke queued behind a grant still on its way is not sent before the grant settles', async () => {
    const posts = stubRelayer(down);
    const grantId = await approve();
    await runQueue(); // one attempt: the relayer was down, so the grant may have left (attempts 1) and cannot be dropped
    await revokePermissions(ORIGIN);
    const revoke = (await queuedActions()).find((a) => a.kind === 'revoke' && a.after === grantId)!;
    expect(revoke).toBeDefined();
    const sent = stubRelayer((b) => ({ status: 202, json: relayStatus(b.function, 'pending', b.function === 'grantBySig' ? 4 : 5) }));
    await dueNow();
    await runQueue();
    // Both went in one run, the grant first; the revoke is signed after the grant was accepted and waits for it.
    expect(sent.map((b) => b.function)[0]).toBe('grantBySig');
    expect(sent.some((b) => b.function === 'revokeBySig')).toBe(false);
    expect(posts.every((b) => b.function === 'grantBySig')).toBe(true);
  });
});
