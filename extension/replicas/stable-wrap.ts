import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { AesKey } from '../../shared/crypto/aead';
import { concat, fromBase64, lengthPrefixed, toBase64 } from '../../shared/crypto/bytes';
import { unwrapDek, wrapDek } from '../../shared/crypto/key-wrap';
import type { ReplicaKeys } from '../../shared/crypto/replica-keys';
import type { BackupData } from '../vault-data/kind';

/**
 * One record → one row, every time. A record whose DEK sits in a key batch gets its own wrap when its
 * backup row is made (records/backup.ts toBackupRow), under a random nonce: two snapshots of an unchanged
 * vault then differed in every such row, so every pass re-uploaded the whole vault under new CIDs and
 * published a new head. Here the wrap is redone under a nonce derived from the record id and its DEK:
 * equal nonces only ever meet equal (id, DEK), i.e. equal plaintext and AAD, so the wrap reveals nothing
 * new. A restored record keeps this wrap, so the restored profile computes the same rows again.
 * (The same two lines in toBackupRow would make backup files stable too; records/ is not ours.)
 */
const LABEL = 'SecureMed replica v2 DEK wrap nonce';

export async function stableRecordWrap(keys: ReplicaKeys, dekWrap: AesKey, data: BackupData): Promise<BackupData> {
  const { id, wrappedDek } = data;
  if (typeof id !== 'string' || typeof wrappedDek !== 'string' || wrappedDek.length === 0) return data;
  let dek: Uint8Array;
  try {
    dek = await unwrapDek(dekWrap, id, fromBase64(wrappedDek));
  } catch {
    return data; // a damaged wrap stays as it is (a restore rejects that row, as it would from a file)
  }
  const nonce = hmac(sha256, keys.nonce, concat(lengthPrefixed(LABEL, id), dek)).subarray(0, 12);
  const wrapped = await wrapDek(dekWrap, id, dek, { nonce });
  dek.fill(0);
  return { ...data, wrappedDek: toBase64(wrapped) };
}
