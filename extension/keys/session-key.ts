import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH } from '../../shared/crypto/aead';
import { concat, randomBytes } from '../../shared/crypto/bytes';

/**
 * The key that seals unlocked key material in storage.session.
 *
 * storage.session is memory-only and cleared when the browser closes, so an unlocked vault survives a
 * service-worker restart but not a browser restart. We still never put the seed there in plain text:
 * it is sealed under a non-extractable AES-GCM CryptoKey kept in IndexedDB. IndexedDB stores the key
 * object itself (structured clone), never its bytes, so no storage dump can reveal the seed, and the
 * key is useless once storage.session is gone. Locking deletes both.
 */
const DB = 'securemed-session';
const STORE = 'keys';
const KEY_ID = 'session-seal';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = run(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

async function sessionKey(create: boolean): Promise<CryptoKey | undefined> {
  const existing = await withStore<CryptoKey | undefined>('readonly', (s) => s.get(KEY_ID));
  if (existing || !create) return existing;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await withStore('readwrite', (s) => s.put(key, KEY_ID));
  return key;
}

/** Seal bytes for storage.session. */
export async function sealForSession(plain: Uint8Array): Promise<Uint8Array> {
  const key = (await sessionKey(true))!;
  const nonce = randomBytes(GCM_NONCE_LENGTH);
  return concat(nonce, await aesGcmEncrypt(key, nonce, new Uint8Array(0), plain));
}

/** Open what sealForSession produced; undefined when the session key is gone (locked). */
export async function openFromSession(sealed: Uint8Array): Promise<Uint8Array | undefined> {
  const key = await sessionKey(false);
  if (!key) return undefined;
  try {
    return await aesGcmDecrypt(key, sealed.subarray(0, GCM_NONCE_LENGTH), new Uint8Array(0), sealed.subarray(GCM_NONCE_LENGTH));
  } catch {
    return undefined;
  }
}

export async function forgetSessionKey(): Promise<void> {
  await withStore('readwrite', (s) => s.delete(KEY_ID));
}
