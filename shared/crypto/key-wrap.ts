// Where a record's DEK is wrapped (docs/architecture.md "Key wrap", "Cost model"): the patient's own copy under the
// symmetric vault key (one wrap per record, or one key batch per import chunk), and N DEKs shared with a
// grantee in ONE HPKE context. The record itself is encrypted in record-envelope.ts.
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH, GCM_TAG_LENGTH, importAesGcmKey, type AesKey } from './aead.js';
import { concat, i2osp, lengthPrefixed, randomBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { setupBaseR, setupBaseS } from './hpke.js';

export const DEK_LENGTH = 32;

export function checkDek(dek: Uint8Array): void {
  if (!(dek instanceof Uint8Array) || dek.length !== DEK_LENGTH) {
    throw new CryptoError('invalid-key', 'a DEK is 32 bytes');
  }
}

/** Ids bound into an AAD: non-empty, bounded. */
export function checkId(name: string, s: string): void {
  if (typeof s !== 'string' || s.length === 0 || s.length > 1024) {
    throw new CryptoError('invalid-input', `${name} must be a non-empty string of at most 1024 chars`);
  }
}

export function checkVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new CryptoError('invalid-input', 'version must be a non-negative integer');
  }
}

export interface WrapOptions {
  /** Deterministic nonce: format vectors only. */
  nonce?: Uint8Array;
}

// ---- Patient's own copy: DEK wrapped under the vault key (AES-256-GCM, record id as AAD). ----
// AES-GCM rather than AES-KW so the wrap is bound to its record: a wrapped DEK moved to another record
// fails to unwrap. Random 96-bit nonces are safe far beyond a vault's size (< 2^32 wraps per key).

export const vaultWrapAad = (recordId: string) => lengthPrefixed('SecureMed vault dek-wrap v1', recordId);

/** → nonce (12) ‖ encrypted DEK (32) ‖ tag (16) = 60 bytes. */
export async function wrapDek(vaultKey: AesKey, recordId: string, dek: Uint8Array, opts: WrapOptions = {}): Promise<Uint8Array> {
  checkDek(dek);
  const nonce = opts.nonce ?? randomBytes(GCM_NONCE_LENGTH);
  return concat(nonce, await aesGcmEncrypt(await importAesGcmKey(vaultKey), nonce, vaultWrapAad(recordId), dek));
}

export async function unwrapDek(vaultKey: AesKey, recordId: string, wrapped: Uint8Array): Promise<Uint8Array> {
  const key = await importAesGcmKey(vaultKey);
  const nonce = wrapped.subarray(0, GCM_NONCE_LENGTH);
  const dek = await aesGcmDecrypt(key, nonce, vaultWrapAad(recordId), wrapped.subarray(GCM_NONCE_LENGTH));
  checkDek(dek);
  return dek;
}

// ---- Patient's own copy, amortized: a key batch. The DEKs of one import chunk wrapped in ONE
// AES-256-GCM encryption under the vault key (one WebCrypto call instead of one per record). The AAD binds
// the batch id and the ordered (recordId, version) list, so DEK i belongs to exactly item i of exactly this
// batch: a reordered, truncated, extended or relabelled list fails the tag, as does a batch moved under
// another id. Random nonce per batch; each batch is far fewer wraps per key than the per-record scheme.

export interface KeyBatchItem {
  recordId: string;
  version: number;
}

/** Bounds one batch's plaintext (128 KB of DEKs): an import chunk is ≤ 500 records. */
export const KEY_BATCH_MAX = 4096;

export function keyBatchAad(batchId: string, items: readonly KeyBatchItem[]): Uint8Array {
  checkId('batchId', batchId);
  if (items.length === 0 || items.length > KEY_BATCH_MAX) {
    throw new CryptoError('invalid-input', `a key batch holds 1..${KEY_BATCH_MAX} DEKs`);
  }
  const fields: (string | Uint8Array)[] = ['SecureMed vault dek-batch v1', batchId, i2osp(items.length, 4)];
  for (const item of items) {
    checkId('recordId', item.recordId);
    checkVersion(item.version);
    fields.push(item.recordId, i2osp(item.version, 8));
  }
  return lengthPrefixed(...fields);
}

/** `deks` = DEK of items[0] ‖ DEK of items[1] ‖ … (32 bytes each) → nonce (12) ‖ ct ‖ tag (16). */
export async function wrapDekBatch(
  vaultKey: AesKey,
  batchId: string,
  items: readonly KeyBatchItem[],
  deks: Uint8Array,
  opts: WrapOptions = {},
): Promise<Uint8Array> {
  const aad = keyBatchAad(batchId, items);
  if (!(deks instanceof Uint8Array) || deks.length !== items.length * DEK_LENGTH) {
    throw new CryptoError('invalid-key', 'a key batch is 32 bytes per item');
  }
  const nonce = opts.nonce ?? randomBytes(GCM_NONCE_LENGTH);
  return concat(nonce, await aesGcmEncrypt(await importAesGcmKey(vaultKey), nonce, aad, deks));
}

/** → the concatenated DEKs (DEK i = bytes [32i, 32i + 32)). Throws CryptoError 'integrity' on any change. */
export async function unwrapDekBatch(
  vaultKey: AesKey,
  batchId: string,
  items: readonly KeyBatchItem[],
  wrapped: Uint8Array,
): Promise<Uint8Array> {
  const aad = keyBatchAad(batchId, items);
  if (!(wrapped instanceof Uint8Array) || wrapped.length < GCM_NONCE_LENGTH + GCM_TAG_LENGTH) {
    throw new CryptoError('integrity', 'key batch is missing or too short');
  }
  const nonce = wrapped.subarray(0, GCM_NONCE_LENGTH);
  const deks = await aesGcmDecrypt(await importAesGcmKey(vaultKey), nonce, aad, wrapped.subarray(GCM_NONCE_LENGTH));
  if (deks.length !== items.length * DEK_LENGTH) throw new CryptoError('integrity', 'key batch has the wrong length');
  return deks;
}

// ---- Sharing: N DEKs for one grantee, one HPKE encapsulation, sealed in sequence. ----

export interface ShareOptions {
  /** Bound into the HPKE info, e.g. `${patient}->${grantee}`; the receiver must pass the same. */
  context?: string;
  /** Deterministic ephemeral key: tests only. */
  ikmE?: Uint8Array;
}

const shareInfo = (context = '') => lengthPrefixed('SecureMed dek-share v1', context);
const shareAad = (recordId: string) => lengthPrefixed('SecureMed dek-share item v1', recordId);

/** `wrapped[i]` belongs to `items[i]`; the receiver must open them in this order (HPKE sequence). */
export async function shareDeks(
  granteePublicKey: Uint8Array,
  items: readonly { recordId: string; dek: Uint8Array }[],
  opts: ShareOptions = {},
): Promise<{ enc: Uint8Array; wrapped: Uint8Array[] }> {
  const { enc, ctx } = setupBaseS(granteePublicKey, shareInfo(opts.context), { ikmE: opts.ikmE });
  const wrapped: Uint8Array[] = [];
  for (const { recordId, dek } of items) {
    checkDek(dek);
    wrapped.push(await ctx.seal(shareAad(recordId), dek));
  }
  return { enc, wrapped };
}

/** Opens all DEKs of one share, in order. Throws CryptoError 'integrity' if any does not verify. */
export async function unwrapSharedDeks(
  enc: Uint8Array,
  granteePrivateKey: Uint8Array,
  items: readonly { recordId: string; wrapped: Uint8Array }[],
  opts: { context?: string } = {},
): Promise<Uint8Array[]> {
  const ctx = setupBaseR(enc, granteePrivateKey, shareInfo(opts.context));
  const deks: Uint8Array[] = [];
  for (const { recordId, wrapped } of items) deks.push(await ctx.open(shareAad(recordId), wrapped));
  return deks;
}
