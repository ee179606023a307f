import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Scope } from '../../../shared/chain/scopes';
import { ProviderErrorCode } from '../../../shared/protocol/errors';

/**
 * The write permission: local first, then the chain as the upper bound (WRITE bit, expiry by block
 * time); a chain that does not answer means no. The consent store and chain reads are stubbed here.
 */
const GRANTEE = '0x2222222222222222222222222222222222222222';
const OTHER = '0x3333333333333333333333333333333333333333';
const chain = { scopes: 0, expiresAt: 0n, now: 1_000n, fail: false };
const site: { permissions: unknown[]; disconnectedAt?: number } = { permissions: [] };

vi.mock('../../../extension/chain/reads', () => ({
  latestBlockTime: async () => {
    if (chain.fail) throw new Error('no chain');
    return chain.now;
  },
  grantOf: async () => ({ scopes: chain.scopes, expiresAt: chain.expiresAt, grantedAt: 0n, emergencyUntil: 0n, emergencyDelegate: false, epoch: 1 }),
}));
vi.mock('../../../extension/consent/store', () => ({ loadSite: async () => site }));
const { writePermit } = await import('../../../extension/submit/permit');

const permission = (grantee: string, scopes: string[], mask: number, extra: Record<string, unknown> = {}) => ({
  grantee, patient: '0x' + '4'.repeat(40), scopes, mask, purpose: 'TREAT', purposeSalt: 's', expiresAt: Math.floor(Date.now() / 1000) + 86_400,
  status: 'active', chain: 'granted', grantedAt: 0, updatedAt: 0, ...extra,
});
const LAB_WRITE = ['patient/Condition.rs', 'patient/Observation.c?category=laboratory'];
const MASK = (Scope.CONDITIONS | Scope.WRITE) >>> 0;
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: { code: number; message: string }) => e);

beforeEach(() => {
  Object.assign(chain, { scopes: MASK, expiresAt: 2_000n, now: 1_000n, fail: false });
  site.permissions = [permission(GRANTEE, LAB_WRITE, MASK)];
  delete site.disconnectedAt;
});

describe('writePermit', () => {
  it('a permission with a write scope, in force on chain with the WRITE bit: the kinds it may add', async () => {
    expect(await writePermit('https://ehr.example')).toEqual({ grantee: GRANTEE, scopes: [{ resourceType: 'Observation', bits: Scope.LABS }] });
  });

  it('read-only permission → 4100, saying a write scope is needed', async () => {
    site.permissions = [permission(GRANTEE, ['patient/Observation.rs'], Scope.LABS)];
    expect(await failure(writePermit('https://portal.example'))).toMatchObject({ code: ProviderErrorCode.unauthorized, message: expect.stringContaining('no permission to add records') });
  });

  it('the chain is the upper bound: a grant without the WRITE bit, expired by block time, or an unreachable chain → 4100', async () => {
    chain.scopes = Scope.CONDITIONS;
    expect(await failure(writePermit('https://ehr.example'))).toMatchObject({ code: ProviderErrorCode.unauthorized, message: expect.stringContaining('not in force') });
    chain.scopes = MASK;
    chain.now = 3_000n;
    expect((await failure(writePermit('https://ehr.example')))?.code).toBe(ProviderErrorCode.unauthorized);
    chain.now = 1_000n;
    chain.fail = true;
    expect(await failure(writePermit('https://ehr.example'))).toMatchObject({ code: ProviderErrorCode.unauthorized, message: expect.stringContaining('could not confirm') });
  });

  it('revoked locally → 4100 at once, before the chain has it; a disconnected site → 4100', async () => {
    site.permissions = [permission(GRANTEE, LAB_WRITE, MASK, { status: 'revoked', chain: 'revoking' })];
    expect(await failure(writePermit('https://ehr.example'))).toMatchObject({ code: ProviderErrorCode.unauthorized, message: expect.stringContaining('revoked') });
    site.permissions = [permission(GRANTEE, LAB_WRITE, MASK)];
    site.disconnectedAt = 1;
    expect(await failure(writePermit('https://ehr.example'))).toMatchObject({ code: ProviderErrorCode.unauthorized, message: expect.stringContaining('not connected') });
  });

  it('two providers may write: the site must name one (-32602); naming one picks it', async () => {
    site.permissions = [permission(GRANTEE, LAB_WRITE, MASK), permission(OTHER, ['patient/Condition.c'], Scope.WRITE)];
    expect((await failure(writePermit('https://ehr.example')))?.code).toBe(ProviderErrorCode.invalidParams);
    expect((await writePermit('https://ehr.example', OTHER)).scopes).toEqual([{ resourceType: 'Condition', bits: Scope.CONDITIONS }]);
  });
});
