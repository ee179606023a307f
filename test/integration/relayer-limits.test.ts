// The sponsorship policy on a real chain: per signer account, per client IP, and the overall budget,
// each answered with 429, the limit's name, and a Retry-After where waiting helps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, Signature, Wallet } from 'ethers';
import { submitToRelayer } from '../../shared/chain/relayer';
import { ConsentRegistryAbi } from '../../shared/chain/abis';
import { patientWallet, signGrant, startChainStack, startTestRelayer, waitForStatus, TEST_RELAYER_KEY, type ChainStack } from './helpers/relayer-stack';

let stack: ChainStack;
beforeAll(async () => {
  stack = await startChainStack();
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('sponsorship limits', () => {
  it('per account, then per IP (every local client shares 127.0.0.1), with Retry-After', async () => {
    const relayer = await startTestRelayer(stack, {
      policy: { perAccount: { max: 2, windowMs: 60_000 }, perIp: { max: 4, windowMs: 60_000 } },
    });
    try {
      const a = patientWallet();
      for (const nonce of [0n, 1n]) {
        const r = await submitToRelayer(relayer.url, await signGrant(stack, a, { nonce }));
        expect(r.httpStatus).toBe(202);
      }
      const third = await submitToRelayer(relayer.url, await signGrant(stack, a, { nonce: 2n }));
      expect(third).toMatchObject({ ok: false, httpStatus: 429, retryable: true, error: { code: 'limit_exceeded', limit: 'account' } });
      if (!third.ok) expect(third.error.retryAfterSeconds).toBeGreaterThan(0);

      // Two more accounts fill the IP's four sponsored actions; a fifth account is refused by IP.
      for (const p of [patientWallet(), patientWallet()]) {
        expect((await submitToRelayer(relayer.url, await signGrant(stack, p))).httpStatus).toBe(202);
      }
      const raw = await fetch(`${relayer.url}/v1/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(await signGrant(stack, patientWallet())),
      });
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await raw.json()).error).toMatchObject({ limit: 'ip', message: expect.stringContaining('127.0.0.1') });
    } finally {
      await relayer.close();
    }
  });

  it('requests of any kind per IP per minute are capped before any work', async () => {
    const relayer = await startTestRelayer(stack, { policy: { requestsPerIpPerMinute: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${relayer.url}/v1/health`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await relayer.close();
    }
  });

  it('the overall budget: reserved from the simulation, settled with what was paid; past it, 429 budget', async () => {
    // A budget for a little more than one grant at today's max fee.
    const first = await signGrant(stack, patientWallet());
    const data = new Interface(ConsentRegistryAbi).encodeFunctionData('grantBySig', [
      first.message.patient, first.message.grantee, first.message.scopes, first.message.expiresAt, first.message.purpose,
      first.message.epoch, first.message.nonce, first.message.deadline, ...compact(first.signature),
    ]);
    const payer = new Wallet(TEST_RELAYER_KEY).address;
    const gas = await stack.provider.estimateGas({ from: payer, to: stack.deployment.contracts.ConsentRegistry, data });
    const fee = (await stack.provider.getFeeData()).maxFeePerGas!;
    const oneGrant = ((gas * 12n) / 10n + 10_000n) * fee;
    const relayer = await startTestRelayer(stack, { policy: { budgetWei: (oneGrant * 12n) / 10n } });
    try {
      const r1 = await submitToRelayer(relayer.url, first);
      expect(r1.httpStatus).toBe(202);
      const done = await waitForStatus(relayer.url, r1.ok ? r1.request.id : '', (s) => s.status === 'confirmed');
      expect(BigInt(done.paidWei!)).toBeGreaterThan(0n);
      const r2 = await submitToRelayer(relayer.url, await signGrant(stack, patientWallet()));
      expect(r2).toMatchObject({ ok: false, httpStatus: 429, error: { limit: 'budget' } });
      if (!r2.ok) expect(r2.error.message).toMatch(/pay the gas/);
      const h = await (await fetch(`${relayer.url}/v1/health`)).json();
      expect(h.budget).toEqual({ budgetWei: ((oneGrant * 12n) / 10n).toString(), spentWei: done.paidWei, reservedWei: '0' });
    } finally {
      await relayer.close();
    }
  });
});

function compact(signature: string): [string, string] {
  const s = Signature.from(signature);
  return [s.r, s.yParityAndS];
}
