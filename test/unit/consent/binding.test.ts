import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { checkBinding, signBinding } from '../../../shared/chain/binding';
import { isAllowedPageOrigin } from '../../../extension/consent/binding';

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
