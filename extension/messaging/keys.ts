import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { importAesGcmKey } from '../../shared/crypto/aead';
import { toHex, utf8 } from '../../shared/crypto/bytes';
import { deriveMessagingStorageKeys } from '../../shared/crypto/identity';
import { openBytes as openSealed, openJson, sealBytes as sealSealed, sealedAad, sealJson } from '../../shared/crypto/sealed-json';

/**
 * Messaging's at-rest keys, derived from the vault seed like every vault key (shared/crypto identity.ts
 * deriveMessagingStorageKeys), so the recovery phrase restores them and a locked vault cannot read the
 * history:
 * - seal: AES-256-GCM over the XMTP key bundle, conversations and messages (shared/crypto's sealed box);
 *   AAD = len-prefixed('SecureMed messaging v1', what, which id), so a sealed value cannot be moved to
 *   another record. Values sealed before that AAD (`${what}:${id}`) still open; every write uses the new one;
 * - index: HMAC-SHA256 turning a counterparty address into the thread id, so the database does not list
 *   who the patient talks to.
 */
export interface MessagingKeys {
  seal: CryptoKey;
  index: Uint8Array;
}

export async function deriveMessagingKeys(seed: Uint8Array): Promise<MessagingKeys> {
  const { atRest, index } = deriveMessagingStorageKeys(seed);
  return { seal: await importAesGcmKey(atRest), index };
}

/** A keyed hash for row ids that must not name what they are about (40 hex characters). */
export function keyedId(keys: MessagingKeys, what: string): string {
  return toHex(hmac(sha256, keys.index, utf8(what))).slice(0, 40);
}

/**
 * One thread per counterparty and identity of ours: a doctor who writes to the patient's main address
 * and also talks to the relationship identity made for them is two conversations, each answered from
 * the identity it reached. Main-identity threads keep the id they always had.
 */
export function threadIdOf(keys: MessagingKeys, peer: string, identity?: number): string {
  return keyedId(keys, identity === undefined ? peer.toLowerCase() : `${peer.toLowerCase()}#${identity}`);
}

/** Current AAD first (what every write uses), then the pre-v1 form rows written before it may carry. */
const readAads = (kind: string, id: string) => [sealedAad.messaging(kind, id), sealedAad.legacyMessaging(kind, id)];

export async function seal(keys: MessagingKeys, kind: string, id: string, value: unknown): Promise<Uint8Array> {
  return sealJson(keys.seal, sealedAad.messaging(kind, id), value);
}

export async function open<T>(keys: MessagingKeys, kind: string, id: string, sealed: Uint8Array): Promise<T> {
  return openJson<T>(keys.seal, readAads(kind, id), sealed);
}

/** Raw bytes variant (the XMTP key bundle is bytes, not JSON). */
export async function sealBytes(keys: MessagingKeys, kind: string, id: string, bytes: Uint8Array): Promise<Uint8Array> {
  return sealSealed(keys.seal, sealedAad.messaging(kind, id), bytes);
}

export async function openBytes(keys: MessagingKeys, kind: string, id: string, sealed: Uint8Array): Promise<Uint8Array> {
  return openSealed(keys.seal, readAads(kind, id), sealed);
}
