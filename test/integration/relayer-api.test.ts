// The relayer against a real local chain: what it pays for (and confirms, with the tx hash), and
// everything it refuses before paying: unknown function or contract, wrong chain, bad signature, a
// call that would revert, a foreign Origin, an oversized body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { submitToRelayer, type RelayRequest } from '../../shared/chain/relayer';
import { Scope } from '../../shared/chain/scopes';
import type { Relayer } from '../../scripts/relayer/server';
import {
  ALLOWED_ORIGIN, patientWallet, randomAddress, rawRequest, signAnchor, signDelegate, signGrant, signKey, signRevoke, startChainStack,
  startTestRelayer, waitForStatus, type ChainStack,
} from './helpers/relayer-stack';

let stack: ChainStack;
let relayer: Relayer;

beforeAll(async () => {
  stack = await startChainStack();
  relayer = await startTestRelayer(stack);
}, 120_000);
afterAll(async () => {
  await relayer?.close();
  await stack?.close();
});

const post = (body: RelayRequest) => submitToRelayer(relayer.url, body);
const paidSoFar = async () => ({
  nonce: await stack.provider.getTransactionCount(relayer.address),
  balance: await stack.provider.getBalance(relayer.address),
});

describe('sponsored actions', () => {
  it('health names the chain, the paying account, the functions and the budget', async () => {
    const h = await (await fetch(`${relayer.url}/v1/health`)).json();
    expect(h).toMatchObject({ ok: true, chainId: 31337, relayer: relayer.address, contracts: stack.deployment.contracts });
    expect(h.functions).toEqual(['grantBySig', 'revokeBySig', 'setEmergencyDelegateBySig', 'cancelNoncesBySig', 'anchorBySig', 'setEncryptionKeyBySig']);
    expect(BigInt(h.budget.budgetWei)).toBeGreaterThan(0n);
  });

  it('a signed grant from a patient without ETH is accepted, paid, and reported confirmed with its tx hash', async () => {
    const patient = patientWallet();
    const req = await signGrant(stack, patient);
    const r = await post(req);
    expect(r.ok && r.httpStatus).toBe(202);
    if (!r.ok) return;
    expect(r.request).toMatchObject({ status: 'pending', function: 'grantBySig', signer: patient.address });
    const done = await waitForStatus(relayer.url, r.request.id, (s) => s.status !== 'pending');
    expect(done.status).toBe('confirmed');
    const receipt = await stack.provider.getTransactionReceipt(done.txHash!);
    expect(receipt?.status).toBe(1);
    expect(receipt?.from).toBe(relayer.address);
    expect(done.blockNumber).toBe(receipt?.blockNumber);
    expect(await stack.consent.hasAccess(patient.address, req.message.grantee, Scope.LABS)).toBe(true);
    expect(await stack.provider.getBalance(patient.address)).toBe(0n);
  });

  it('submitting the same signature again returns the same request instead of paying twice', async () => {
    const req = await signGrant(stack, patientWallet());
    const first = await post(req);
    const again = await post(req);
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.httpStatus).toBe(200);
    expect(again.request.id).toBe(first.request.id);
    await waitForStatus(relayer.url, first.request.id, (s) => s.status === 'confirmed');
  });

  it('relays every kind of signed action: revoke, emergency delegate, anchor, encryption key', async () => {
    const patient = patientWallet();
    const grant = await signGrant(stack, patient, { nonce: 0n });
    const g = await post(grant);
    await waitForStatus(relayer.url, g.ok ? g.request.id : '', (s) => s.status === 'confirmed');
    const requests = [
      await signRevoke(stack, patient, grant.message.grantee as string, 1n),
      await signDelegate(stack, patient, randomAddress(), 2n),
      await signAnchor(stack, patient),
      await signKey(stack, patient, 0n),
    ];
    for (const req of requests) {
      const r = await post(req);
      expect(r.ok, `${req.function}: ${JSON.stringify(r)}`).toBe(true);
      if (!r.ok) continue;
      const done = await waitForStatus(relayer.url, r.request.id, (s) => s.status !== 'pending');
      expect(done.status, `${req.function}: ${done.reason}`).toBe('confirmed');
    }
    expect(await stack.consent.hasAccess(patient.address, grant.message.grantee, Scope.LABS)).toBe(false);
    expect(await stack.directory.encryptionKeyOf(patient.address)).toBe(requests[3].message.key);
    const [anchorer] = await stack.anchor.anchorOf(patient.address, requests[2].message.root);
    expect(anchorer).toBe(patient.address);
  });
});

describe('refused before anything is paid', () => {
  it('an unknown function, and a known one aimed at another contract', async () => {
    const req = await signGrant(stack, patientWallet());
    const before = await paidSoFar();
    const unknown = await post({ ...req, function: 'grant' as never });
    expect(unknown).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'unknown_function' } });
    const transfer = await post({ ...req, function: 'transferOwnership' as never });
    expect(transfer).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'unknown_function' } });
    for (const contract of [stack.deployment.contracts.RecordAnchor, randomAddress()]) {
      const r = await post({ ...req, contract });
      expect(r).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'unknown_contract' } });
    }
    const chain = await post({ ...req, chainId: 1 });
    expect(chain).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'wrong_chain' } });
    expect(await paidSoFar()).toEqual(before);
  });

  it('a malformed request names the bad field', async () => {
    const req = await signGrant(stack, patientWallet());
    const r = await post({ ...req, message: { ...req.message, scopes: 'all' } });
    expect(r).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'invalid_request' } });
    if (!r.ok) expect(r.error.message).toContain('message.scopes');
    const extra = await post({ ...req, message: { ...req.message, extra: 1 } });
    expect(extra).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'invalid_request' } });
  });

  it('a bad signature: signed by someone else, or a field changed after signing', async () => {
    const patient = patientWallet();
    const before = await paidSoFar();
    const forged = await signGrant(stack, patient, { signer: new Wallet(Wallet.createRandom().privateKey) });
    expect(await post(forged)).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'bad_signature' } });
    const good = await signGrant(stack, patient);
    const widened = await post({ ...good, message: { ...good.message, scopes: Scope.MENTAL_HEALTH } });
    expect(widened).toMatchObject({ ok: false, httpStatus: 400, error: { code: 'bad_signature' } });
    expect(await paidSoFar()).toEqual(before);
  });

  it('a call that would revert is refused with the reason in words, and costs the relayer nothing', async () => {
    const patient = patientWallet();
    const before = await paidSoFar();
    const nothingToRevoke = await post(await signRevoke(stack, patient, randomAddress(), 5n));
    expect(nothingToRevoke).toMatchObject({ ok: false, httpStatus: 422, error: { code: 'would_revert', revert: 'NoGrant', retryable: false } });
    if (!nothingToRevoke.ok) expect(nothingToRevoke.error.message).toBe('There is no grant to revoke.');
    const t = await stack.blockTime();
    const expired = await post(await signGrant(stack, patient, { deadline: t - 1n }));
    expect(expired).toMatchObject({ ok: false, httpStatus: 422, error: { revert: 'SignatureExpired' } });
    expect(await paidSoFar()).toEqual(before);
  });

  it('a held grant made stale by a newer one is refused as stale (StaleEpoch), not paid', async () => {
    const patient = patientWallet();
    const grantee = randomAddress();
    const broad = await signGrant(stack, patient, { grantee, nonce: 0n, scopes: Scope.LABS | Scope.MENTAL_HEALTH });
    const narrow = await signGrant(stack, patient, { grantee, nonce: 1n });
    const n = await post(narrow);
    await waitForStatus(relayer.url, n.ok ? n.request.id : '', (s) => s.status === 'confirmed');
    const before = await paidSoFar();
    const r = await post(broad);
    expect(r).toMatchObject({ ok: false, httpStatus: 422, error: { revert: 'StaleEpoch' } });
    if (!r.ok) expect(r.error.message).toMatch(/changed this relationship after signing/);
    expect(await paidSoFar()).toEqual(before);
  });

  it('Origin: the extension is allowed (CORS names it), other origins get 403 (preflights too), no Origin is served', async () => {
    const req = JSON.stringify(await signGrant(stack, patientWallet()));
    const ok = await rawRequest(`${relayer.url}/v1/actions`, { headers: { origin: ALLOWED_ORIGIN }, body: req });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    for (const origin of ['https://evil.example', 'null', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      const refused = await rawRequest(`${relayer.url}/v1/actions`, { headers: { origin }, body: req });
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('origin_not_allowed');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await rawRequest(`${relayer.url}/v1/actions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.status).toBe(403);
    }
    const preflight = await rawRequest(`${relayer.url}/v1/actions`, { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect((await rawRequest(`${relayer.url}/v1/health`, { method: 'GET' })).status).toBe(200);
  });

  it('oversized bodies (413), non-JSON (400, 415), unknown ids and paths (404)', async () => {
    const big = await rawRequest(`${relayer.url}/v1/actions`, { body: JSON.stringify({ function: 'grantBySig', pad: 'x'.repeat(20_000) }) });
    expect(big.status).toBe(413);
    expect((await rawRequest(`${relayer.url}/v1/actions`, { body: '{not json' })).status).toBe(400);
    expect((await rawRequest(`${relayer.url}/v1/actions`, { headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await rawRequest(`${relayer.url}/v1/actions/ra_000000000000000000000000`, { method: 'GET' })).json.error.code).toBe('unknown_request');
    expect((await rawRequest(`${relayer.url}/admin`, { method: 'GET' })).status).toBe(404);
  });
});
