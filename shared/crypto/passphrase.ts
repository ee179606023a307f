// The secret (seed or BIP-39 entropy) at rest, under a passphrase (docs/architecture.md "At rest").
// scrypt (async, so the worker/UI keeps running) -> 32-byte master -> HKDF -> {AES-256-GCM key, check}.
// The stored form carries its KDF parameters; the header {v, kdf} is the AES-GCM AAD, so editing a
// parameter is detected. The 16-byte key-check value lets us tell "wrong passphrase" from "corrupted
// data"; it gives an attacker nothing the ciphertext does not (each guess still costs one scrypt).
import { hkdf } from '@noble/hashes/hkdf.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH, importAesGcmKey } from './aead.js';
import { concat, equalBytes, fromBase64, randomBytes, toBase64, utf8 } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoError } from './errors.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** ≈0.6 s with @noble/hashes scryptAsync in Node 20 on this machine kind; 128 MiB (128·r·N bytes). */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
/** Below this (or r < 8) parameters are refused unless `allowWeakKdf` is set (tests only). */
export const MIN_SCRYPT_N = 2 ** 15;
/** Upper bounds so a crafted blob cannot make unlock take minutes or exhaust memory. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const SALT_LENGTH = 16;
const CHECK_LENGTH = 16;

export interface StoredSecret {
  v: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; dkLen: 32; salt: string };
  /** base64 key-check value (16 bytes). */
  check: string;
  /** base64 AES-GCM nonce (12 bytes). */
  nonce: string;
  /** base64 AES-256-GCM ciphertext ‖ tag. */
  ct: string;
}

export interface KdfOptions {
  /** Must be set to accept parameters below DEFAULT-strength (tests). Never set in the product. */
  allowWeakKdf?: boolean;
  /** scrypt progress 0..1, for an unlock progress bar. */
  onProgress?: (progress: number) => void;
}

function checkParams({ N, r, p }: ScryptParams, allowWeak: boolean): void {
  const ints = [N, r, p].every((x) => Number.isSafeInteger(x) && x >= 1);
  if (!ints || N < 2 || (N & (N - 1)) !== 0 || N > MAX_N || r > MAX_R || p > MAX_P) {
    throw new CryptoError('unsupported', `scrypt parameters out of range (N=${N}, r=${r}, p=${p})`);
  }
  if (!allowWeak && (N < MIN_SCRYPT_N || r < 8)) {
    throw new CryptoError('unsupported', `scrypt parameters too weak (N=${N}, r=${r}); allowWeakKdf is for tests`);
  }
}

async function deriveKeys(passphrase: string, kdf: StoredSecret['kdf'], salt: Uint8Array, opts: KdfOptions) {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CryptoError('invalid-input', 'passphrase must be a non-empty string');
  }
  // NFKC: the same passphrase typed on another keyboard/OS may arrive in another Unicode form.
  const master = await scryptAsync(utf8(passphrase.normalize('NFKC')), salt, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
    onProgress: opts.onProgress,
  });
  const key = hkdf(sha256, master, undefined, utf8('SecureMed v1 secret encryption key'), 32);
  const check = hkdf(sha256, master, undefined, utf8('SecureMed v1 secret key check'), CHECK_LENGTH);
  master.fill(0);
  return { key: await importAesGcmKey(key), check };
}

const header = (s: Pick<StoredSecret, 'v' | 'kdf'>) =>
  concat(utf8('SecureMed secret v1\n'), canonicalJsonBytes({ v: s.v, kdf: s.kdf }));

export async function encryptSecret(
  secret: Uint8Array,
  passphrase: string,
  opts: KdfOptions & { kdf?: ScryptParams } = {},
): Promise<StoredSecret> {
  const params = opts.kdf ?? DEFAULT_SCRYPT;
  checkParams(params, opts.allowWeakKdf === true);
  const salt = randomBytes(SALT_LENGTH);
  const kdf = { name: 'scrypt', N: params.N, r: params.r, p: params.p, dkLen: 32, salt: toBase64(salt) } as const;
  const { key, check } = await deriveKeys(passphrase, kdf, salt, opts);
  const nonce = randomBytes(GCM_NONCE_LENGTH);
  const ct = await aesGcmEncrypt(key, nonce, header({ v: 1, kdf }), secret);
  return { v: 1, kdf, check: toBase64(check), nonce: toBase64(nonce), ct: toBase64(ct) };
}

/** Validates the shape of a stored blob (e.g. straight from JSON.parse). */
export function parseStoredSecret(value: unknown): StoredSecret {
  const bad = (what: string) => new CryptoError('invalid-input', `stored secret: ${what}`);
  if (typeof value !== 'object' || value === null) throw bad('not an object');
  const o = value as Record<string, unknown>;
  if (o.v !== 1) throw new CryptoError('unsupported', `stored secret: unknown version ${String(o.v)}`);
  const k = o.kdf as Record<string, unknown> | null;
  if (typeof k !== 'object' || k === null) throw bad('missing kdf');
  if (k.name !== 'scrypt' || k.dkLen !== 32) throw new CryptoError('unsupported', 'stored secret: unknown kdf');
  for (const f of ['N', 'r', 'p'] as const) if (typeof k[f] !== 'number') throw bad(`kdf.${f} is not a number`);
  for (const f of ['check', 'nonce', 'ct'] as const) if (typeof o[f] !== 'string') throw bad(`${f} is not a string`);
  if (typeof k.salt !== 'string') throw bad('kdf.salt is not a string');
  const { N, r, p } = k as { N: number; r: number; p: number }; // types checked just above
  const kdf = { name: 'scrypt', N, r, p, dkLen: 32, salt: k.salt } as const;
  return { v: 1, kdf, check: o.check as string, nonce: o.nonce as string, ct: o.ct as string };
}

/**
 * Throws CryptoError 'wrong-passphrase' (key check fails), 'integrity' (right passphrase, but the
 * ciphertext or header was modified), 'unsupported' / 'invalid-input' (malformed or weak parameters).
 * A modified salt, N/r/p or check value also derives a non-matching check, so it reads as
 * 'wrong-passphrase': without the right key nothing can tell those apart.
 */
export async function decryptSecret(stored: unknown, passphrase: string, opts: KdfOptions = {}): Promise<Uint8Array> {
  const s = parseStoredSecret(stored);
  checkParams(s.kdf, opts.allowWeakKdf === true);
  const salt = fromBase64(s.kdf.salt);
  const nonce = fromBase64(s.nonce);
  const ct = fromBase64(s.ct);
  const storedCheck = fromBase64(s.check);
  if (salt.length < SALT_LENGTH || nonce.length !== GCM_NONCE_LENGTH || storedCheck.length !== CHECK_LENGTH) {
    throw new CryptoError('invalid-input', 'stored secret: wrong salt, nonce or check length');
  }
  const { key, check } = await deriveKeys(passphrase, s.kdf, salt, opts);
  if (!equalBytes(check, storedCheck)) throw new CryptoError('wrong-passphrase', 'wrong passphrase');
  return aesGcmDecrypt(key, nonce, header(s), ct);
}
