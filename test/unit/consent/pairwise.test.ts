import { describe, expect, it } from 'vitest';
import { derivePairwiseAccount, deriveSiteGranteeAccount, mnemonicToSeed } from '../../../shared/crypto/identity';

const PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';

describe('pairwise account per (origin, grantee)', () => {
  it('gives two grantees on one origin two accounts, and one grantee on two origins two accounts', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    const a = deriveSiteGranteeAccount(seed, 'https://hosted.example', A).address;
    const b = deriveSiteGranteeAccount(seed, 'https://hosted.example', B).address;
    const c = deriveSiteGranteeAccount(seed, 'https://other.example', A).address;
    expect(new Set([a, b, c]).size).toBe(3);
    // Stable, and case-insensitive in the grantee.
    expect(deriveSiteGranteeAccount(seed, 'https://hosted.example', A.toUpperCase().replace('0X', '0x')).address).toBe(a);
    // Different from the per-origin and per-grantee accounts (no existing output changes or collides).
    expect([derivePairwiseAccount(seed, 'https://hosted.example').address, derivePairwiseAccount(seed, A).address]).not.toContain(a);
  });

  it('refuses anything but a web origin and a 0x grantee', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    expect(() => deriveSiteGranteeAccount(seed, A, A)).toThrow();
    expect(() => deriveSiteGranteeAccount(seed, 'https://x.example/path', A)).toThrow();
    expect(() => deriveSiteGranteeAccount(seed, 'https://x.example', 'https://y.example')).toThrow();
  });
});
