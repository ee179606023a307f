import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH, importAesGcmKey } from '../../shared/crypto/aead';
import { concat, fromUtf8, randomBytes, toHex, utf8 } from '../../shared/crypto/bytes';

/**
 * Messaging's at-rest keys, derived from the vault seed like every vault key (HKDF-SHA256, salt
 * 'SecureMed v1', a distinct info string per purpose), so the recovery phrase restores them and a
 * locked vault cannot read the history:
 * - seal: AES-256-GCM over the XMTP key bundle, conversations and messages; AAD = what and which id,
 *   so a sealed value cannot be moved to another record;
 * - index: HMAC-SHA256 turning a counterparty address into the thread id, so the database does not list
 *   who the patient talks to.
 */
const SALT = utf8('SecureMed v1');

export interface MessagingKeys {
  seal: CryptoKey;
  index: Uint8Array;
}

export async function deriveMessagingKeys(seed: Uint8Array): Promise<MessagingKeys> {
  const seal = hkdf(sha256, seed, SALT, utf8('SecureMed v1 messaging at-rest key'), 32);
  const index = hkdf(sha256, seed, SALT, utf8('SecureMed v1 messaging index key'), 32);
  return { seal: await importAesGcmKey(seal), index };
}

export function threadIdOf(keys: MessagingKeys, peer: string): string {
  return toHex(hmac(sha256, keys.index, utf8(peer.toLowerCase()))).slice(0, 40);
}

/** nonce ‖ AES-GCM(JSON) with AAD = `${kind}:${id}`. */
export async function seal(keys: MessagingKeys, kind: string, id: string, value: unknown): Promise<Uint8Array> {
  const nonce = randomBytes(GCM_NONCE_LENGTH);
  return concat(nonce, await aesGcmEncrypt(keys.seal, nonce, utf8(`${kind}:${id}`), utf8(JSON.stringify(value))));
}

export async function open<T>(keys: MessagingKeys, kind: string, id: string, sealed: Uint8Array): Promise<T> {
  const plain = await aesGcmDecrypt(keys.seal, sealed.subarray(0, GCM_NONCE_LENGTH), utf8(`${kind}:${id}`), sealed.subarray(GCM_NONCE_LENGTH));
  return JSON.parse(fromUtf8(plain)) as T;
}

/** Raw bytes variant (the XMTP key bundle is bytes, not JSON). */
export async function sealBytes(keys: MessagingKeys, kind: string, id: string, bytes: Uint8Array): Promise<Uint8Array> {
  const nonce = randomBytes(GCM_NONCE_LENGTH);
  return concat(nonce, await aesGcmEncrypt(keys.seal, nonce, utf8(`${kind}:${id}`), bytes));
}

export async function openBytes(keys: MessagingKeys, kind: string, id: string, sealed: Uint8Array): Promise<Uint8Array> {
  return aesGcmDecrypt(keys.seal, sealed.subarray(0, GCM_NONCE_LENGTH), utf8(`${kind}:${id}`), sealed.subarray(GCM_NONCE_LENGTH));
}
