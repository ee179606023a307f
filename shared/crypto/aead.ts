// AES-GCM through WebCrypto (native in Chromium service workers and Node 20), behind the small AEAD
// interface HPKE (RFC 9180 §5.2) is parameterised by.
import { ab } from './bytes.js';
import { CryptoError } from './errors.js';

export interface Aead {
  /** RFC 9180 aead_id. */
  readonly id: number;
  /** Key length in bytes. */
  readonly Nk: number;
  /** Nonce length in bytes. */
  readonly Nn: number;
  /** Tag length in bytes. */
  readonly Nt: number;
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Promise<Uint8Array>;
  /** Throws CryptoError('integrity') when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Promise<Uint8Array>;
}

export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

export type AesKey = Uint8Array | CryptoKey;

/** Imports raw AES key bytes as a non-extractable AES-GCM key; CryptoKeys pass through. */
export async function importAesGcmKey(key: AesKey, length: 16 | 32 = 32): Promise<CryptoKey> {
  if (!(key instanceof Uint8Array)) return key;
  if (key.length !== length) throw new CryptoError('invalid-key', `AES key must be ${length} bytes`);
  return crypto.subtle.importKey('raw', ab(key), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function aesGcmEncrypt(
  key: CryptoKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  if (nonce.length !== GCM_NONCE_LENGTH) throw new CryptoError('invalid-input', 'nonce must be 12 bytes');
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: ab(nonce), additionalData: ab(aad), tagLength: 128 },
    key,
    ab(pt),
  );
  return new Uint8Array(ct);
}

export async function aesGcmDecrypt(
  key: CryptoKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  if (nonce.length !== GCM_NONCE_LENGTH) throw new CryptoError('invalid-input', 'nonce must be 12 bytes');
  if (ct.length < GCM_TAG_LENGTH) throw new CryptoError('integrity', 'ciphertext shorter than the tag');
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: ab(nonce), additionalData: ab(aad), tagLength: 128 },
      key,
      ab(ct),
    );
    return new Uint8Array(pt);
  } catch (cause) {
    // WebCrypto reports every failure as an OperationError; AES-GCM cannot tell a wrong key, a wrong
    // AAD and a modified ciphertext apart, so neither do we.
    throw new CryptoError('integrity', 'decryption failed: wrong key, wrong context or modified data', {
      cause,
    });
  }
}

function aesGcm(id: number, Nk: 16 | 32): Aead {
  return {
    id,
    Nk,
    Nn: GCM_NONCE_LENGTH,
    Nt: GCM_TAG_LENGTH,
    async seal(key, nonce, aad, pt) {
      return aesGcmEncrypt(await importAesGcmKey(key, Nk), nonce, aad, pt);
    },
    async open(key, nonce, aad, ct) {
      return aesGcmDecrypt(await importAesGcmKey(key, Nk), nonce, aad, ct);
    },
  };
}

/** RFC 9180 aead_id 0x0001. Used by the RFC's Appendix A.1 vectors. */
export const AES_128_GCM: Aead = Object.freeze(aesGcm(0x0001, 16));
/** RFC 9180 aead_id 0x0002. SecureMed's suite. */
export const AES_256_GCM: Aead = Object.freeze(aesGcm(0x0002, 32));
