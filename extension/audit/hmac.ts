/** HMAC-SHA256 of a text under raw key bytes, as lowercase hex (WebCrypto; the key imported once per key). */
const imported = new WeakMap<Uint8Array, Promise<CryptoKey>>();

export async function hmacSha256(key: Uint8Array, text: string): Promise<string> {
  let k = imported.get(key);
  if (!k) {
    k = crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    imported.set(key, k);
  }
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await k, new TextEncoder().encode(text)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}
