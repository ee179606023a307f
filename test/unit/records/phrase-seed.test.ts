import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/crypto/bytes';
import { generateMnemonic, mnemonicToSeed } from '../../../shared/crypto/identity';
import { seedFromPhrase } from '../../../extension/keys/phrase-seed';

// The WebCrypto seed (extension/keys/phrase-seed.ts) must be the BIP-39 seed, byte for byte: a different
// seed would open a different vault from the same phrase.
describe('seedFromPhrase', () => {
  it('matches the BIP-39 vector (empty passphrase)', async () => {
    const seed = await seedFromPhrase('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about');
    expect(toHex(seed)).toBe('5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4');
  });

  it('matches mnemonicToSeed for fresh phrases, also typed with extra spaces and capitals', async () => {
    for (const words of [12, 24] as const) {
      const phrase = generateMnemonic(words);
      expect(toHex(await seedFromPhrase(`  ${phrase.toUpperCase().replace(/ /g, '   ')} `))).toBe(toHex(await mnemonicToSeed(phrase)));
    }
  });

  it('refuses a phrase with a wrong word like mnemonicToSeed', async () => {
    await expect(seedFromPhrase('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon')).rejects.toThrow(/bad checksum/);
  });
});
