// The background's chain client (extension/chain/) against a real local chain with our contracts:
// consent, directory and anchor reads give the chain's answers; a chain that does not answer, or an
// address without our contract, is a UiError('unavailable') in words, never a guess or a cached "no".
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { buildRecordTree } from '../../shared/chain/merkle';
import { Scope } from '../../shared/chain/scopes';
import { submitToRelayer } from '../../shared/chain/relayer';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings/schema';
import type { Relayer } from '../../scripts/relayer/server';
import { patientWallet, randomHash, signAnchor, signGrant, signKey, startChainStack, startTestRelayer, waitForStatus, type ChainStack } from './helpers/relayer-stack';

vi.mock('wxt/browser', async () => ({ browser: (await import('wxt/testing/fake-browser')).fakeBrowser }));
vi.mock('../../extension/keys/unlocked', () => ({ unlocked: async () => undefined }));

const reads = await import('../../extension/chain/reads');

let stack: ChainStack;
let relayer: Relayer;

async function settingsFor(over: Partial<Settings> = {}): Promise<void> {
  await fakeBrowser.storage.local.set({
    settings: { ...DEFAULT_SETTINGS, chainId: stack.deployment.chainId, rpcUrl: stack.chain.url, contracts: { ...stack.deployment.contracts }, ...over },
  });
}

async function relay(req: Parameters<typeof submitToRelayer>[1]) {
  const r = await submitToRelayer(relayer.url, req);
  if (!r.ok) throw new Error(r.error.message);
  expect((await waitForStatus(relayer.url, r.request.id, (s) => s.status !== 'pending')).status).toBe('confirmed');
}

beforeAll(async () => {
  stack = await startChainStack();
  relayer = await startTestRelayer(stack);
}, 120_000);
afterAll(async () => {
  await relayer?.close();
  await stack?.close();
});

describe('chain reads (extension/chain)', () => {
  it('consent: hasAccess and grantOf give what the chain holds, epoch included', async () => {
    await settingsFor();
    const patient = patientWallet();
    const req = await signGrant(stack, patient);
    const grantee = req.message.grantee as string;
    expect(await reads.hasAccess(patient.address, grantee, Scope.LABS)).toBe(false);
    await relay(req);
    reads.forgetChainReads(); // a change we made: do not serve the cached "no"
    expect(await reads.hasAccess(patient.address, grantee, Scope.LABS)).toBe(true);
    expect(await reads.grantOf(patient.address, grantee)).toMatchObject({ scopes: Scope.LABS, epoch: 1, emergencyDelegate: false });
  });

  it('directory: verified provider with its licence expiry, and a published encryption key', async () => {
    await settingsFor();
    const provider = patientWallet();
    const verifier = await stack.provider.getSigner(1);
    const expiresAt = (await stack.blockTime()) + 86_400n;
    await (await (stack.directory.connect(verifier) as typeof stack.directory).getFunction('attestProvider')(provider.address, randomHash(), expiresAt)).wait();
    await relay(await signKey(stack, provider, 7n));
    const status = await reads.directoryStatus(provider.address, 0);
    expect(status).toMatchObject({ verified: true, licenceExpiresAt: expiresAt, encryptionKey: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await reads.isNonceUsed('ProviderDirectory', provider.address, 7n)).toBe(true);
    expect(await reads.directoryStatus(patientWallet().address, 0)).toEqual({ verified: false });
  });

  it('anchors: anchorOf a relayed batch, and verify of one record with its proof', async () => {
    await settingsFor();
    const patient = patientWallet();
    const batch = buildRecordTree([randomHash(), randomHash(), randomHash()]);
    await relay(await signAnchor(stack, patient, batch.root));
    const leaf = batch.proofs()[1]!;
    expect(await reads.anchorOf(patient.address, batch.root)).toMatchObject({ anchoredAt: expect.any(BigInt) });
    expect(await reads.verifyAnchor(patient.address, leaf.contentHash, leaf.proof)).toMatchObject({ anchorer: expect.any(String) });
    expect(await reads.verifyAnchor(patient.address, randomHash(), leaf.proof)).toBeUndefined();
    expect(await reads.latestBlockTime()).toBeGreaterThan(0n);
  });

  it('says in words when the chain does not answer, or has no contract at the configured address', async () => {
    await settingsFor({ rpcUrl: 'http://127.0.0.1:9' });
    await expect(reads.hasAccess(patientWallet().address, patientWallet().address, Scope.LABS)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'The chain at http://127.0.0.1:9 does not answer right now. SecureMed will try again; nothing is lost.',
    });
    await settingsFor({ contracts: { ...stack.deployment.contracts, ProviderDirectory: patientWallet().address } });
    await expect(reads.encryptionKeyOf(patientWallet().address)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/has no SecureMed directory contract at 0x/) });
    // A failure is not cached: the right settings answer at once.
    await settingsFor();
    expect(await reads.encryptionKeyOf(patientWallet().address)).toBeUndefined();
  });

  it('messaging/directory.ts keeps its answers: verified, unverified, unavailable', async () => {
    const { verification } = await import('../../extension/messaging/directory');
    await settingsFor();
    expect(await verification(patientWallet().address)).toBe('unverified');
    await settingsFor({ rpcUrl: 'http://127.0.0.1:9' });
    expect(await verification(patientWallet().address)).toBe('unavailable');
  });
});
