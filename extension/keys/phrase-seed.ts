import { utf8 } from '../../shared/crypto/bytes';
import { mnemonicToSeed, validateMnemonic } from '../../shared/crypto/identity';

/**
 * The BIP-39 seed of a recovery phrase (PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic", empty BIP-39
 * passphrase), computed by WebCrypto where there is one: natively, off the worker's JavaScript thread,
 * so it runs while scrypt (JavaScript) seals the phrase under the passphrase — creating or restoring a
 * vault waits for the slower of the two instead of both in turn. Same bytes as shared/crypto/identity's
 * mnemonicToSeed (test/unit/records/phrase-seed.test.ts checks it against the BIP-39 vectors).
 */
export async function seedFromPhrase(phrase: string): Promise<Uint8Array> {
  const canonical = validateMnemonic(phrase);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return mnemonicToSeed(canonical);
  const key = await subtle.importKey('raw', utf8(canonical.normalize('NFKD')), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-512', salt: utf8('mnemonic'), iterations: 2048 }, key, 512);
  return new Uint8Array(bits);
}
