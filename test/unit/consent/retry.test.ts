import { verifyTypedData } from 'ethers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { consentDomain, GRANT_TYPES } from '../../../shared/chain/eip712';
import { deriveIdentity, deriveSiteGranteeAccount, mnemonicToSeed } from '../../../shared/crypto/identity';
import { DEFAULT_SETTINGS } from '../../../shared/settings/schema';
import { approvedPermission, BLOCK_TIME, dueNow, relayStatus as relayStatusBy, stubRelayer, TX } from './queue-fixture';

// Consent through the shared transaction queue, in node: the real consent store and the real queue
// (fake IndexedDB, sealed rows, real EIP-712 signing by the pairwise account); the chain's reads are
// stubbed (block time, the pair's slot, receipts) and the relayer is a stubbed fetch.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current, UNLOCKED_SEED_KEY: 'unlockedSeed' }));
/** The chain's clock and the pair's epoch, moved on between a refusal and Try again. */
const chain = vi.hoisted(() => ({ up: true, time: 1_800_000_000n, epoch: 3n }));
const unavailable = async () => {
  const { UiError } = await import('../../../shared/protocol/ui-errors');
  return new UiError('unavailable', 'The chain did not answer.');
};
vi.mock('../../../extension/chain/reads', () => ({
  latestBlockTime: async () => {
    if (!chain.up) throw await unavailable();
    return chain.time;
  },
  encryptionKeyOf: async () => undefined,
  findKeyPublication: async () => undefined,
  receiptOf: async (hash: string) => ({ txHash: hash, blockNumber: 7, success: true }),
  forgetChainReads: () => undefined,
}));
vi.mock('../../../extension/chain/rpc', () => ({
  readContract: async () => {
    if (!chain.up) throw await unavailable();
    return { scopes: 0n, expiresAt: 0n, epoch: chain.epoch };
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

const { retryPermission } = await import('../../../extension/consent/retry');
const { followAction } = await import('../../../extension/consent/sync');
const { chainProcedures } = await import('../../../extension/background/procedures/chain');

// "Try again" for a grant or revoke the network refused (extension/consent/retry.ts), over the same real
// store and queue as sync.test.ts: the retried action keeps its id and the permission follows it; a
// grant the patient stopped meanwhile is never sent again (chain.retry included).
const REFUSAL = 'This relayer pays only for another contract.';
const refuse = () => ({ status: 400, json: { error: { code: 'unknown_contract', message: REFUSAL } } });
const relayStatus = (fn: string, status: string) => relayStatusBy(fn, status, signer.address);
const accept = () => stubRelayer((b) => ({ status: 202, json: relayStatus(b.function, 'pending') }), () => ({ status: 200, json: relayStatus('grantBySig', 'confirmed') }));

let site = 0;
/** The current test's pairwise account (a fresh origin per test: one database for the file). */
let signer = account;
async function approveRefused() {
  const origin = `https://portal${++site}.example`;
  signer = deriveSiteGranteeAccount(seed, origin, GRANTEE);
  const p = approvedPermission(GRANTEE, signer.address);
  await saveSite({ ...(await newSite(origin)), permissions: [p] });
  stubRelayer(refuse);
  const actionId = await queueGrant(origin, p);
  await updateSite(origin, (s) => s && { ...s, permissions: [{ ...p, actionId }] });
  await runQueue();
  await syncConsent();
  return { origin, actionId };
}
const permissionOf = async (origin: string) => (await loadSite(origin))!.permissions[0]!;
const actionOf = async (id: string) => (await queuedActions()).find((a) => a.id === id);
async function settle() {
  for (let i = 0; i < 3; i++) {
    await dueNow();
    await runQueue();
  }
  await syncConsent();
}

beforeEach(() => {
  state.current = { seed, identity };
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('followAction: a refused action tried again maps back to its permission', () => {
  const row = { grantee: GRANTEE, patient: account.address, scopes: [], mask: 1, purpose: 'TREAT' as const, purposeSalt: '0x', expiresAt: 1, grantedAt: 1, updatedAt: 1 };
  const ID = '00000000-0000-4000-8000-000000000001';
  const action = (kind: 'grant' | 'revoke', state: 'pending' | 'submitted' | 'confirmed' | 'failed', id = ID) => ({ id, kind, state, txHash: state === 'confirmed' ? TX : undefined }) as never;

  it('a refused grant: pending again → pending/granting; confirmed → active with the tx', () => {
    const failed = { ...row, status: 'failed' as const, chain: 'failed' as const, actionId: ID, reason: 'Not recorded on the network: no' };
    expect(followAction(failed, action('grant', 'pending'), 2)).toMatchObject({ status: 'pending', chain: 'granting', reason: undefined, updatedAt: 2 });
    expect(followAction(failed, action('grant', 'submitted'), 2)).toMatchObject({ status: 'pending', chain: 'granting' });
    expect(followAction(failed, action('grant', 'confirmed'), 2)).toMatchObject({ status: 'active', chain: 'granted', txHash: TX });
    expect(followAction(failed, action('grant', 'failed'), 2)).toBe(failed);
    // Another action (not the one this row names) never moves it.
    expect(followAction(failed, action('grant', 'pending', '00000000-0000-4000-8000-000000000002'), 2)).toBe(failed);
  });

  it('a refused revoke: still stopped here, on its way to the network again, then removed there', () => {
    const failed = { ...row, status: 'revoked' as const, chain: 'failed' as const, actionId: ID, reason: 'Not removed from the network yet: no' };
    expect(followAction(failed, action('revoke', 'pending'), 2)).toMatchObject({ status: 'revoked', chain: 'revoking' });
    expect(followAction(failed, action('revoke', 'confirmed'), 2)).toMatchObject({ status: 'revoked', chain: 'revoked', txHash: TX });
    // A grant action never turns a stopped permission back into a grant on its way.
    expect(followAction(failed, action('grant', 'pending'), 2)).toBe(failed);
  });

  it('a permission stopped after its grant was refused does not follow that grant tried again', () => {
    const stopped = { ...row, status: 'revoked' as const, chain: 'revoked' as const };
    expect(followAction({ ...stopped, actionId: ID }, action('grant', 'pending'), 2)).toMatchObject({ status: 'revoked', chain: 'revoked' });
    expect(followAction(stopped, action('grant', 'confirmed'), 2)).toBe(stopped);
  });
});

describe('Try again (consent.retry / chain.retry) through the real queue', () => {
  it('a refused grant: failed with the reason; Try again re-signs the same action; pending, then active; the page hears each change', async () => {
    const events: Array<{ origin: string; statuses: string[] }> = [];
    setPageEventSink((origin, _event, data) => events.push({ origin, statuses: (data as { permissions: Array<{ status: string }> }).permissions.map((p) => p.status) }));
    const { origin, actionId } = await approveRefused();
    expect(await permissionOf(origin)).toMatchObject({ status: 'failed', chain: 'failed', actionId, reason: `Not recorded on the network: ${REFUSAL}` });
    expect(events.at(-1)).toEqual({ origin, statuses: ['failed'] });
    // Time passes and another change of the pair lands: the refused signature's deadline and epoch are stale.
    chain.time = BLOCK_TIME + 3_600n;
    chain.epoch = 4n;

    const posts = accept();
    events.length = 0;
    await retryPermission(origin, GRANTEE);
    expect(await permissionOf(origin)).toMatchObject({ status: 'pending', chain: 'granting', actionId });
    expect((await permissionOf(origin)).reason).toBeUndefined();
    expect(events[0]).toEqual({ origin, statuses: ['pending'] });
    await settle();
    expect(await permissionOf(origin)).toMatchObject({ status: 'active', chain: 'granted', txHash: TX, actionId });
    expect(events.at(-1)).toEqual({ origin, statuses: ['active'] });
    expect(events.every((e) => e.origin === origin)).toBe(true);
    // Same action (one grant in the queue for this pair), signed afresh: a new request, not the refused one.
    expect((await queuedActions()).filter((a) => a.kind === 'grant' && a.id === actionId)).toHaveLength(1);
    const sent = posts.find((b) => b.function === 'grantBySig')!;
    expect(sent.message).toMatchObject({ patient: signer.address, epoch: 4, deadline: (chain.time + 600n).toString() });
    expect(verifyTypedData(consentDomain(DEFAULT_SETTINGS.chainId, DEFAULT_SETTINGS.contracts.ConsentRegistry), GRANT_TYPES, sent.message, sent.signature)).toBe(signer.address);
    // Nothing refused any more: a second Try again says so.
    await expect(retryPermission(origin, GRANTEE)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('SECURITY: a refused grant the patient stopped meanwhile is never sent again, through Try again or chain.retry', async () => {
    const { origin, actionId } = await approveRefused();
    await revokePermissions(origin, GRANTEE);
    expect(await permissionOf(origin)).toMatchObject({ status: 'revoked', chain: 'revoked' });
    const posts = accept();

    await expect(retryPermission(origin, GRANTEE)).rejects.toMatchObject({ code: 'not_found' });
    await expect(chainProcedures['chain.retry']({ type: 'chain.retry', id: actionId } as never)).rejects.toMatchObject({ code: 'conflict' });
    await settle();
    expect((await actionOf(actionId))!.state).toBe('failed');
    expect(posts.filter((b) => b.function === 'grantBySig')).toHaveLength(0);
    expect(await permissionOf(origin)).toMatchObject({ status: 'revoked', chain: 'revoked' });
  });

  it('chain.retry of a refused grant the patient still wants goes through its permission (the row follows)', async () => {
    const { origin, actionId } = await approveRefused();
    accept();
    const { action } = await chainProcedures['chain.retry']({ type: 'chain.retry', id: actionId } as never);
    expect(action).toMatchObject({ id: actionId, state: 'pending' });
    expect(await permissionOf(origin)).toMatchObject({ status: 'pending', chain: 'granting', actionId });
    await settle();
    expect(await permissionOf(origin)).toMatchObject({ status: 'active', chain: 'granted' });
  });

  it('a refused revoke stays stopped here; Try again sends the revoke again and it is removed on the network', async () => {
    const { origin } = await approveRefused();
    accept();
    await retryPermission(origin, GRANTEE);
    await settle();
    expect(await permissionOf(origin)).toMatchObject({ status: 'active' });
    stubRelayer(refuse);
    await revokePermissions(origin, GRANTEE);
    await settle();
    const refused = await permissionOf(origin);
    expect(refused).toMatchObject({ status: 'revoked', chain: 'failed', reason: `Not removed from the network yet: ${REFUSAL}` });
    stubRelayer((b) => ({ status: 202, json: relayStatus(b.function, 'pending') }), () => ({ status: 200, json: relayStatus('revokeBySig', 'confirmed') }));
    await retryPermission(origin, GRANTEE);
    expect(await permissionOf(origin)).toMatchObject({ status: 'revoked', chain: 'revoking', actionId: refused.actionId });
    await settle();
    expect(await permissionOf(origin)).toMatchObject({ status: 'revoked', chain: 'revoked', txHash: TX });
  });
});
