// The relayer when the chain goes away: it never crashes, says what it waits for, retries, re-sends a
// transaction a restarted chain forgot, and gives up with a retryable failure in words.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { submitToRelayer } from '../../shared/chain/relayer';
import { Scope } from '../../shared/chain/scopes';
import type { Relayer } from '../../scripts/relayer/server';
import { patientWallet, signGrant, startChainStack, startTestRelayer, waitForStatus, type ChainStack } from './helpers/relayer-stack';

let stack: ChainStack;
let relayer: Relayer | undefined;

beforeAll(async () => {
  stack = await startChainStack();
}, 120_000);
afterEach(async () => {
  await relayer?.close();
  relayer = undefined;
  await stack.ensureRunning();
});
afterAll(async () => {
  await stack?.close();
});

/** Stops mining, so a sent transaction stays pending until the test lets it (or the chain dies). */
const holdBlocks = () => stack.provider.send('evm_setAutomine', [false]);

describe('chain down or restarted', () => {
  it('chain down at submission: 503 chain_unavailable (retryable), health says so; back up, the same request goes through', async () => {
    relayer = await startTestRelayer(stack);
    const patient = patientWallet();
    const req = await signGrant(stack, patient);
    await stack.chain.stop();
    const r = await submitToRelayer(relayer.url, req);
    expect(r).toMatchObject({ ok: false, httpStatus: 503, retryable: true, error: { code: 'chain_unavailable', retryable: true } });
    if (!r.ok) expect(r.error.message).toMatch(/chain did not answer/);
    const h = await (await fetch(`${relayer.url}/v1/health`)).json();
    expect(h).toMatchObject({ ok: false, chain: { up: false } });

    await stack.chain.start();
    await stack.redeploy();
    const again = await submitToRelayer(relayer.url, req);
    expect(again.httpStatus).toBe(202);
    const done = await waitForStatus(relayer.url, again.ok ? again.request.id : '', (s) => s.status !== 'pending');
    expect(done.status).toBe('confirmed');
    expect(await stack.consent.hasAccess(patient.address, req.message.grantee, Scope.LABS)).toBe(true);
  });

  it('a sent transaction: pending with a reason while the chain is down; re-sent and confirmed after a restart', async () => {
    relayer = await startTestRelayer(stack, { retry: { attempts: 30, baseDelayMs: 100, maxDelayMs: 300, pollMs: 50, lostAfterPolls: 4 } });
    const patient = patientWallet();
    const req = await signGrant(stack, patient);
    await holdBlocks();
    const r = await submitToRelayer(relayer.url, req);
    expect(r.httpStatus).toBe(202);
    const id = r.ok ? r.request.id : '';
    const sent = await waitForStatus(relayer.url, id, (s) => s.stage === 'sent');
    expect(sent).toMatchObject({ status: 'pending', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });

    await stack.chain.stop();
    const waiting = await waitForStatus(relayer.url, id, (s) => s.reason !== undefined);
    expect(waiting).toMatchObject({ status: 'pending', stage: 'sent', reason: expect.stringMatching(/waiting for the chain/) });

    await stack.chain.start(); // a fresh chain: the transaction and the contracts are gone
    const resending = await waitForStatus(relayer.url, id, (s) => s.stage === 'queued' && s.attempts > 1);
    expect(resending.reason).toMatch(/lost the transaction|No contract/);
    await stack.redeploy();
    const done = await waitForStatus(relayer.url, id, (s) => s.status !== 'pending');
    expect(done.status).toBe('confirmed');
    expect(done.txHash).not.toBe(sent.txHash); // another transaction (another nonce on the new chain)
    expect((await stack.provider.getTransactionReceipt(done.txHash!))?.status).toBe(1);
    expect(await stack.consent.hasAccess(patient.address, req.message.grantee, Scope.LABS)).toBe(true);
  });

  it('a chain that comes back without our contracts: retried, then failed as retryable, in words', async () => {
    relayer = await startTestRelayer(stack, { retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 200, pollMs: 50, lostAfterPolls: 4 } });
    const req = await signGrant(stack, patientWallet());
    await holdBlocks();
    const r = await submitToRelayer(relayer.url, req);
    const id = r.ok ? r.request.id : '';
    await waitForStatus(relayer.url, id, (s) => s.stage === 'sent');
    await stack.chain.stop();
    await stack.chain.start(); // not redeployed
    const failed = await waitForStatus(relayer.url, id, (s) => s.status !== 'pending');
    expect(failed).toMatchObject({ status: 'failed', retryable: true, reason: expect.stringMatching(/No contract at .* Gave up after 3 attempts/) });
    // The relayer itself is fine.
    expect((await fetch(`${relayer.url}/v1/health`)).status).toBe(200);
  });
});
