import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { checkBinding, signBinding } from '../../../shared/chain/binding';
import { checkBindings, isAllowedPageOrigin } from '../../../extension/consent/binding';

const GRANTEE_KEY = `0x${'11'.repeat(32)}`;
const OTHER_KEY = `0x${'22'.repeat(32)}`;
const GRANTEE = new Wallet(GRANTEE_KEY).address;
const ORIGIN = 'https://portal.example.org';
const NOW = 1_800_000_000;

describe('binding file (/.well-known/securemed.json)', () => {
  it('binds the grantee to the origins it lists, until it expires', async () => {
    const file = await signBinding(GRANTEE_KEY, [ORIGIN, 'https://other.example'], NOW + 3600);
    expect(checkBinding(file, ORIGIN, GRANTEE, NOW)).toEqual({ ok: true, grantee: GRANTEE });
    expect(checkBinding(file, ORIGIN, GRANTEE.toLowerCase(), NOW).ok).toBe(true);
  });

  it('refuses an origin it does not list, an expired file, another grantee, and a signature by another key', async () => {
    const file = await signBinding(GRANTEE_KEY, [ORIGIN], NOW + 3600);
    expect(checkBinding(file, 'https://evil.example', GRANTEE, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('does not list this origin') });
    expect(checkBinding(file, ORIGIN, GRANTEE, NOW + 3600)).toMatchObject({ ok: false, reason: expect.stringContaining('expired') });
    expect(checkBinding(file, ORIGIN, new Wallet(OTHER_KEY).address, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('not the one this origin is bound to') });
    const forged = await signBinding(OTHER_KEY, [ORIGIN], NOW + 3600, GRANTEE);
    expect(checkBinding(forged, ORIGIN, GRANTEE, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed by its grantee') });
  });

  it('refuses a file whose listed origins were edited after signing, and anything not shaped like a binding', async () => {
    const file = await signBinding(GRANTEE_KEY, ['https://a.example'], NOW + 3600);
    expect(checkBinding({ ...file, origins: [ORIGIN] }, ORIGIN, GRANTEE, NOW).ok).toBe(false);
    expect(checkBinding({ ...file, extra: 1 }, 'https://a.example', GRANTEE, NOW).ok).toBe(false);
    expect(checkBinding('nope', ORIGIN, GRANTEE, NOW).ok).toBe(false);
  });
});

describe('several grantees on one origin ({ bindings: [...] })', () => {
  it('binds each grantee by its own signed binding; another grantee\'s binding proves nothing', async () => {
    const a = await signBinding(GRANTEE_KEY, [ORIGIN], NOW + 3600);
    const b = await signBinding(OTHER_KEY, [ORIGIN], NOW + 3600);
    const file = { bindings: [a, b] };
    expect(checkBindings(file, ORIGIN, GRANTEE, NOW)).toEqual({ ok: true, grantee: GRANTEE });
    expect(checkBindings(file, ORIGIN, new Wallet(OTHER_KEY).address, NOW)).toEqual({ ok: true, grantee: new Wallet(OTHER_KEY).address });
    const third = new Wallet(`0x${'33'.repeat(32)}`).address;
    expect(checkBindings(file, ORIGIN, third, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('no binding') });
    // A binding that names the grantee but is signed by another key (the other grantee's) is refused.
    const forged = await signBinding(OTHER_KEY, [ORIGIN], NOW + 3600, third);
    expect(checkBindings({ bindings: [a, forged] }, ORIGIN, third, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed by its grantee') });
    expect(checkBindings({ bindings: [a], extra: 1 }, ORIGIN, GRANTEE, NOW).ok).toBe(false);
    expect(checkBindings({ bindings: [] }, ORIGIN, GRANTEE, NOW).ok).toBe(false);
    expect(checkBindings(a, ORIGIN, GRANTEE, NOW).ok).toBe(true); // one binding, as before
  });
});

describe('page origins', () => {
  it('are https, or http on loopback only', () => {
    expect(isAllowedPageOrigin('https://portal.example')).toBe(true);
    expect(isAllowedPageOrigin('http://127.0.0.1:5173')).toBe(true);
    expect(isAllowedPageOrigin('http://localhost:8080')).toBe(true);
    expect(isAllowedPageOrigin('http://[::1]:8080')).toBe(true);
    expect(isAllowedPageOrigin('http://portal.example')).toBe(false);
    expect(isAllowedPageOrigin('http://127.0.0.1.evil.example')).toBe(false);
    expect(isAllowedPageOrigin('https://portal.example/path')).toBe(false);
    expect(isAllowedPageOrigin('null')).toBe(false);
  });
});
