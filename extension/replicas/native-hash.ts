import { toHex } from '../../shared/crypto/bytes';

/**
 * The restore's hashes through WebCrypto rather than JavaScript: every block's SHA-256 (its CID check),
 * every row's digest (HMAC-SHA256 under the nonce key) and every record's content hash. WebCrypto hashes
 * natively and off the worker's JavaScript thread, which the restore otherwise spends on parsing and
 * writing (measured in scripts/bench/replicas.ts: JavaScript HMAC of each row was the largest share of
 * opening a pack). Same values as the @noble/hashes functions used when sealing (unit-tested).
 */
const ab = (bytes: Uint8Array): ArrayBuffer | Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

export async function sha256Native(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', ab(bytes)));
}

// One imported HMAC key per nonce key (the replica keys live as long as the restore).
const hmacKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  let imported = hmacKeys.get(key);
  if (!imported) {
    imported = crypto.subtle.importKey('raw', ab(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    hmacKeys.set(key, imported);
  }
  return imported;
}

/** HMAC-SHA256(key, bytes)[0..16] in hex: format.ts rowDigest, natively. */
export async function rowDigestNative(nonceKey: Uint8Array, canonicalBytes: Uint8Array): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(nonceKey), ab(canonicalBytes)));
  return toHex(mac.subarray(0, 16));
}
