// The one "encrypt under a fresh nonce" box for everything that is not a record: search-index chunks,
// the import journal, the backup's index, message history, the XMTP key bundle, the session seal, and
// new vault data kinds. Format: nonce(12) ‖ AES-256-GCM(plaintext, aad) ‖ tag(16) under a 32-byte key;
// JSON values are sealed as the UTF-8 of JSON.stringify (not canonical JSON: the index holds -Infinity
// times that JSON turns into null, and nothing here is hashed or de-duplicated by its bytes).
// Every AAD is length-prefixed (bytes.ts lengthPrefixed) and starts with a label naming its format; the
// labels are listed once, in `sealedAad` below, and pinned by test/fixtures/vectors/sealed-json.json.
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH, GCM_TAG_LENGTH, importAesGcmKey, type AesKey } from './aead.js';
import { concat, fromUtf8, lengthPrefixed, randomBytes, utf8 } from './bytes.js';
import { CryptoError } from './errors.js';

export interface SealOptions {
  /** Deterministic nonce: format vectors only. */
  nonce?: Uint8Array;
}

/** → nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16). */
export async function sealBytes(key: AesKey, aad: Uint8Array, plaintext: Uint8Array, opts: SealOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const nonce = opts.nonce ?? randomBytes(GCM_NONCE_LENGTH);
  return concat(nonce, await aesGcmEncrypt(await importAesGcmKey(key), nonce, aad, plaintext));
}

/**
 * Opens what sealBytes produced. `aad` may list several candidates (a format being phased out, read
 * after the current one): the first that verifies wins. Throws CryptoError('integrity') when none does.
 */
export async function openBytes(key: AesKey, aad: Uint8Array | readonly Uint8Array[], sealed: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (!(sealed instanceof Uint8Array) || sealed.length < GCM_NONCE_LENGTH + GCM_TAG_LENGTH) {
    throw new CryptoError('integrity', 'sealed value is missing or too short');
  }
  const cryptoKey = await importAesGcmKey(key);
  const nonce = sealed.subarray(0, GCM_NONCE_LENGTH);
  const ct = sealed.subarray(GCM_NONCE_LENGTH);
  const candidates = aad instanceof Uint8Array ? [aad] : aad;
  let failure: unknown = new CryptoError('integrity', 'no AAD to open under');
  for (const candidate of candidates) {
    try {
      return await aesGcmDecrypt(cryptoKey, nonce, candidate, ct);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

export async function sealJson(key: AesKey, aad: Uint8Array, value: unknown, opts: SealOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return sealBytes(key, aad, utf8(JSON.stringify(value)), opts);
}

/** Throws CryptoError('integrity') on a wrong key, wrong AAD or modified bytes; SyntaxError never (the tag vouches). */
export async function openJson<T>(key: AesKey, aad: Uint8Array | readonly Uint8Array[], sealed: Uint8Array): Promise<T> {
  return JSON.parse(fromUtf8(await openBytes(key, aad, sealed))) as T;
}

/** Every sealed-box AAD in the product. A new use adds a label here (and a vector), never a string elsewhere. */
export const sealedAad = {
  /** Record vault JSON under vault.searchIndex: purpose 'vault' (index chunks), 'import journal', 'backup'. */
  vaultJson: (purpose: string, patient: string) => lengthPrefixed('SecureMed record index v1', purpose, patient),
  /** A vault data kind's row (extension/vault-data registry): bound to the kind, the row id and the vault. */
  vaultData: (kind: string, id: string, patient: string) => lengthPrefixed('SecureMed vault data v1', kind, id, patient),
  /** Message history and messaging state under the messaging at-rest key: what it is and which id. */
  messaging: (kind: string, id: string) => lengthPrefixed('SecureMed messaging v1', kind, id),
  /**
   * READ ONLY: message history sealed before the length-prefixed AAD used UTF-8 `${kind}:${id}`.
   * Stored rows in that form still open; every write uses `messaging`.
   */
  legacyMessaging: (kind: string, id: string) => utf8(`${kind}:${id}`),
  /** Network replica (extension/replicas) under the replica block key: 'block' (v1: one vault row), 'pack' (v2: many rows) or 'manifest'. */
  replica: (part: 'block' | 'pack' | 'manifest') => lengthPrefixed('SecureMed replica v1', part),
  /** Unlocked key material in storage.session under the per-session key. */
  session: () => lengthPrefixed('SecureMed session v1'),
} as const;
