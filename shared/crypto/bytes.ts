// Byte helpers shared by the crypto module. No Buffer (not in MV3 service workers), no dependencies.
import { CryptoError } from './errors.js';

/**
 * WebCrypto in TS 5.9's DOM lib only accepts views over a plain ArrayBuffer (not SharedArrayBuffer).
 * Returns the same view when it already qualifies, otherwise a copy.
 */
export function ab(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes);
}

const encoder = new TextEncoder();
// fatal: invalid UTF-8 must be an error, not silently replaced by U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CryptoError('invalid-input', 'bytes are not valid UTF-8');
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Strict: even length, hex digits only; an optional 0x prefix is accepted. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) {
    throw new CryptoError('invalid-input', 'invalid hex string');
  }
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Standard base64 with padding (RFC 4648 §4). btoa/atob exist in service workers and Node >= 16. */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  // atob is lenient (whitespace, missing padding); stored blobs must be exact.
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new CryptoError('invalid-input', 'invalid base64 string');
  }
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Constant time in the contents (the length is not secret). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  // getRandomValues caps one call at 65536 bytes.
  for (let off = 0; off < n; off += 65536) {
    crypto.getRandomValues(out.subarray(off, Math.min(n, off + 65536)));
  }
  return out;
}

/** I2OSP (RFC 8017): non-negative integer -> big-endian bytes of fixed length. */
export function i2osp(value: number, length: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CryptoError('invalid-input', 'i2osp: not a non-negative safe integer');
  }
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  if (v !== 0) throw new CryptoError('invalid-input', `i2osp: ${value} does not fit in ${length} bytes`);
  return out;
}

/**
 * Unambiguous encoding of a list of fields for AAD / HKDF info: each field is a 4-byte big-endian
 * length followed by its bytes, so ("ab","c") and ("a","bc") never encode the same.
 */
export function lengthPrefixed(...fields: (Uint8Array | string)[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    const b = typeof f === 'string' ? utf8(f) : f;
    parts.push(i2osp(b.length, 4), b);
  }
  return concat(...parts);
}
