import { describe, expect, it } from 'vitest';
import { fromBase64, randomBytes, toBase64 } from '../../../shared/crypto/bytes.js';
import {
  decryptSecret,
  DEFAULT_SCRYPT,
  encryptSecret,
  type StoredSecret,
} from '../../../shared/crypto/passphrase.js';

// Small, explicitly allowed parameters keep these tests fast; one test runs the defaults.
const WEAK = { kdf: { N: 2 ** 10, r: 8, p: 1 }, allowWeakKdf: true } as const;
const PASS = 'correct horse battery staple';

function tamperB64(b64: string, byte = 0): string {
  const b = fromBase64(b64);
  b[byte]! ^= 1;
  return toBase64(b);
}

describe('secret at rest under a passphrase', () => {
  it('round-trips through its JSON form', async () => {
    const secret = randomBytes(32);
    const stored = await encryptSecret(secret, PASS, WEAK);
    expect(stored).toMatchObject({ v: 1, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1, dkLen: 32 } });
    expect(fromBase64(stored.kdf.salt)).toHaveLength(16);
    expect(fromBase64(stored.nonce)).toHaveLength(12);
    expect(fromBase64(stored.ct)).toHaveLength(32 + 16);
    const json = JSON.parse(JSON.stringify(stored)) as unknown;
    expect(await decryptSecret(json, PASS, { allowWeakKdf: true })).toEqual(secret);
  });

  it('a wrong passphrase is reported as wrong-passphrase', async () => {
    const stored = await encryptSecret(randomBytes(16), PASS, WEAK);
    await expect(decryptSecret(stored, 'Correct horse battery staple', { allowWeakKdf: true })).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
  });

  it('tampering is detected', async () => {
    const stored = await encryptSecret(randomBytes(16), PASS, WEAK);
    const opts = { allowWeakKdf: true };
    const cases: [StoredSecret, string][] = [
      [{ ...stored, ct: tamperB64(stored.ct, 3) }, 'integrity'],
      [{ ...stored, ct: tamperB64(stored.ct, fromBase64(stored.ct).length - 1) }, 'integrity'],
      [{ ...stored, nonce: tamperB64(stored.nonce) }, 'integrity'],
      // Anything feeding the key derivation changes the key, so it reads as a wrong passphrase.
      [{ ...stored, kdf: { ...stored.kdf, salt: tamperB64(stored.kdf.salt) } }, 'wrong-passphrase'],
      [{ ...stored, kdf: { ...stored.kdf, N: 2048 } }, 'wrong-passphrase'],
      [{ ...stored, check: tamperB64(stored.check) }, 'wrong-passphrase'],
    ];
    for (const [blob, code] of cases) await expect(decryptSecret(blob, PASS, opts)).rejects.toMatchObject({ code });
  });

  it('malformed, unknown-version and out-of-range blobs are refused before any scrypt work', async () => {
    const stored = await encryptSecret(randomBytes(16), PASS, WEAK);
    const opts = { allowWeakKdf: true };
    const cases: [unknown, string][] = [
      [null, 'invalid-input'],
      [{ ...stored, v: 2 }, 'unsupported'],
      [{ ...stored, kdf: { ...stored.kdf, name: 'argon2id' } }, 'unsupported'],
      [{ ...stored, kdf: { ...stored.kdf, N: 1000 } }, 'unsupported'],
      [{ ...stored, kdf: { ...stored.kdf, N: 2 ** 30 } }, 'unsupported'],
      [{ ...stored, kdf: { ...stored.kdf, p: 1000 } }, 'unsupported'],
      [{ ...stored, nonce: 'not base64!' }, 'invalid-input'],
      [{ ...stored, nonce: toBase64(new Uint8Array(8)) }, 'invalid-input'],
      [{ ...stored, ct: undefined }, 'invalid-input'],
    ];
    for (const [blob, code] of cases) await expect(decryptSecret(blob, PASS, opts)).rejects.toMatchObject({ code });
  });

  it('weak parameters are never accepted silently', async () => {
    await expect(encryptSecret(randomBytes(16), PASS, { kdf: WEAK.kdf })).rejects.toMatchObject({ code: 'unsupported' });
    const weak = await encryptSecret(randomBytes(16), PASS, WEAK);
    await expect(decryptSecret(weak, PASS)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(encryptSecret(randomBytes(16), '', WEAK)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('normalises the passphrase (NFKC) and reports progress', async () => {
    const secret = randomBytes(16);
    const progress: number[] = [];
    const stored = await encryptSecret(secret, 'caf\u00e9', { ...WEAK, onProgress: (p) => progress.push(p) });
    expect(await decryptSecret(stored, 'cafe\u0301', { allowWeakKdf: true })).toEqual(secret);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('defaults to the documented scrypt parameters', { timeout: 30_000 }, async () => {
    const secret = randomBytes(32);
    const stored = await encryptSecret(secret, PASS);
    expect(stored.kdf).toMatchObject(DEFAULT_SCRYPT);
    expect(DEFAULT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(await decryptSecret(stored, PASS)).toEqual(secret);
  });
});
