import { openBytes, sealBytes, sealedAad } from '../../shared/crypto/sealed-json';

/**
 * The key that seals unlocked key material in storage.session.
 *
 * storage.session is memory-only and cleared when the browser closes, so an unlocked vault survives a
 * service-worker restart but not a browser restart. We still never put the seed there in plain text:
 * it is sealed under a non-extractable AES-GCM CryptoKey kept in IndexedDB. IndexedDB stores the key
 * object itself (structured clone), never its bytes, so no storage dump can reveal the seed, and the
 * key is useless once storage.session is gone. Locking deletes both. The sealed form is shared/crypto's
 * sealed box with the 'SecureMed session v1' AAD; storage.session is emptied when the extension updates,
 * so no value sealed by an older version (empty AAD) can be waiting here.
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
  return sealBytes((await sessionKey(true))!, sealedAad.session(), plain);
}

/** Open what sealForSession produced; undefined when the session key is gone (locked). */
export async function openFromSession(sealed: Uint8Array): Promise<Uint8Array | undefined> {
  const key = await sessionKey(false);
  if (!key) return undefined;
  try {
    return await openBytes(key, sealedAad.session(), sealed);
  } catch {
    return undefined;
  }
}

export async function forgetSessionKey(): Promise<void> {
  await withStore('readwrite', (s) => s.delete(KEY_ID));
}
