import { aesGcmEncrypt, GCM_NONCE_LENGTH } from '../../shared/crypto/aead';
import { concat, randomBytes, toHex } from '../../shared/crypto/bytes';
import { canonicalJsonBytes } from '../../shared/crypto/canonical-json';
import { isCryptoError } from '../../shared/crypto/errors';
import { DEK_LENGTH, decryptRecord, recordAad, unwrapDek, wrapDek } from '../../shared/crypto/record-envelope';
import type { RecordRow } from './db';
import type { RecordKeys } from './vault-keys';

/** Record version bound into the AAD: a record is written once; an edit would be a new version. */
export const RECORD_VERSION = 1;

/**
 * Encrypt one record's canonical JSON bytes under a fresh DEK and wrap the DEK under the vault key: one
 * storable row. Byte-for-byte the format of shared/crypto's encryptRecord + wrapDek (same AAD, nonce ‖
 * ct ‖ tag, '0x' + SHA-256 of the ciphertext; decryptRecord opens it, see test/unit/records), but the
 * content hash is WebCrypto's native SHA-256 instead of a JS one, which made import ~2× slower.
 */
export async function sealBytes(keys: Pick<RecordKeys, 'patient' | 'dekWrap'>, id: string, plaintext: Uint8Array) {
  const dek = randomBytes(DEK_LENGTH);
  const nonce = randomBytes(GCM_NONCE_LENGTH);
  const dekKey = await crypto.subtle.importKey('raw', dek, 'AES-GCM', false, ['encrypt']);
  const aad = recordAad({ recordId: id, patient: keys.patient, version: RECORD_VERSION });
  const [ct, wrappedDek] = await Promise.all([aesGcmEncrypt(dekKey, nonce, aad, plaintext), wrapDek(keys.dekWrap, id, dek)]);
  dek.fill(0);
  const envelope = concat(nonce, ct);
  const contentHash = `0x${toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', envelope)))}`;
  return { envelope, wrappedDek, contentHash };
}

export async function sealRecord(keys: RecordKeys, id: string, resource: unknown, dedupKey: string): Promise<RecordRow> {
  const sealed = await sealBytes(keys, id, canonicalJsonBytes(resource));
  return { id, ...sealed, dedupKey, version: RECORD_VERSION };
}

export type Opened = { ok: true; resource: unknown } | { ok: false; problem: 'damaged' };

/**
 * Decrypt one row. Any failure (hash mismatch, tag failure, a wrap moved from another record, a
 * truncated row) means this record is damaged; it is reported for this record only, never thrown,
 * so one bad row cannot stop the others from opening.
 */
export async function openRecord(keys: RecordKeys, row: RecordRow, expectedContentHash?: string): Promise<Opened> {
  try {
    const dek = await unwrapDek(keys.dekWrap, row.id, row.wrappedDek);
    const resource = await decryptRecord(
      { v: 1, recordId: row.id, patient: keys.patient, version: row.version, ciphertext: row.envelope, contentHash: row.contentHash },
      dek,
      { expectedContentHash },
    );
    dek.fill(0);
    return { ok: true, resource };
  } catch (error) {
    if (isCryptoError(error) || error instanceof SyntaxError || error instanceof TypeError) return { ok: false, problem: 'damaged' };
    throw error;
  }
}

/** A row restored from a backup is accepted only if its DEK unwraps under this vault's key. */
export async function wrapIsOurs(keys: RecordKeys, row: RecordRow): Promise<boolean> {
  try {
    (await unwrapDek(keys.dekWrap, row.id, row.wrappedDek)).fill(0);
    return true;
  } catch {
    return false;
  }
}
