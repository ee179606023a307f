// One error type for the whole module so callers can branch on `code`, never on message text.

export type CryptoErrorCode =
  /** AEAD tag check failed: tampered ciphertext, wrong key or wrong AAD (AES-GCM cannot tell which). */
  | 'integrity'
  /** The ciphertext does not hash to the expected content hash. */
  | 'hash-mismatch'
  /** The passphrase does not match the stored secret's key-check value. */
  | 'wrong-passphrase'
  /** A key has the wrong length or is a low-order X25519 point. */
  | 'invalid-key'
  /** The recovery phrase is malformed (unknown word, word count, checksum). */
  | 'invalid-mnemonic'
  /** Malformed input: bad hex/base64, non-JSON value, wrong field shape. */
  | 'invalid-input'
  /** Stored format version or algorithm we do not know, or KDF parameters outside the allowed range. */
  | 'unsupported'
  /** An HPKE context reached its sequence-number limit. */
  | 'message-limit';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}
