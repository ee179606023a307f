import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';

/**
 * securemed_requestPermissions builds the grant from the call's own params. A page picks request ids,
 * so a call re-sent with the id of a waiting request (another tab of the site) must not re-attach to
 * the window unless it asks for exactly the same thing: otherwise the patient's "Allow" on the window
 * showing one grant would store the other. The handler passes a fingerprint of its params; this test
 * fails when it does not (both calls would carry `undefined`).
 */
const calls: Array<{ requestId: string; fingerprint?: string }> = [];
vi.mock('../../../extension/approvals/approvals', async (original) => ({
  ...(await original<typeof import('../../../extension/approvals/approvals')>()),
  requestApproval: vi.fn(async (_origin: string, requestId: string, _kind: string, _details: unknown, opts: { fingerprint?: string } = {}) => {
    calls.push({ requestId, fingerprint: opts.fingerprint });
    return { decision: 'rejected' };
  }),
}));
vi.mock('../../../extension/consent/binding', async (original) => ({
  ...(await original<typeof import('../../../extension/consent/binding')>()),
  verifyGranteeBinding: vi.fn(async () => undefined),
}));
vi.mock('../../../extension/consent/ask', async (original) => ({
  ...(await original<typeof import('../../../extension/consent/ask')>()),
  askView: vi.fn(async () => ({})),
}));

const GRANTEE = '0x1111111111111111111111111111111111111111';
const ask = (scopes: string[]) => ({ grantee: GRANTEE, scopes, purpose: 'TREAT', durationDays: 30 });

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
});

describe('requestPermissions: a re-sent request id re-attaches only to the same ask', () => {
  it('passes a fingerprint that differs when the scopes differ and matches when the ask is the same', async () => {
    const { requestPermissions } = await import('../../../extension/page-api/request-permissions');
    const call = (params: unknown) => requestPermissions({ origin: 'https://portal.example', requestId: 'r1', params } as never).catch(() => undefined);
    await call(ask(['patient/Observation.rs?category=laboratory']));
    await call(ask(['patient/*.rs']));
    await call(ask(['patient/Observation.rs?category=laboratory']));
    expect(calls).toHaveLength(3);
    expect(calls[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(calls[1]!.fingerprint).not.toBe(calls[0]!.fingerprint);
    expect(calls[2]!.fingerprint).toBe(calls[0]!.fingerprint);
  });
});
