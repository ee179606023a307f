// Record encryption (DESIGN.md "Records" and "Cost model"): one fresh 256-bit DEK per record version,
// AES-256-GCM with a random nonce, AAD binding record id + patient + version. The DEK is then wrapped
// under the symmetric vault key for the patient's own copy (cheap, per record) and, for sharing, N DEKs
// are sealed for a grantee in ONE HPKE context (one X25519 encapsulation for the whole batch).
import { sha256 } from '@noble/hashes/sha2.js';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH, importAesGcmKey, type AesKey } from './aead.js';
import { concat, fromUtf8, i2osp, lengthPrefixed, randomBytes, toHex } from './bytes.js';
import { canonicalJsonBytes, type JsonValue } from './canonical-json.js';
import { CryptoError } from './errors.js';
import { setupBaseR, setupBaseS } from './hpke.js';

export const DEK_LENGTH = 32;

export interface RecordRef {
  recordId: string;
  /** Patient identifier exactly as stored (e.g. a lowercase 0x address); bound byte-for-byte. */
  patient: string;
  /** Record version, a non-negative integer. */
  version: number;
}

export interface RecordEnvelope extends RecordRef {
  v: 1;
  /** nonce (12 bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes). */
  ciphertext: Uint8Array;
  /** '0x' + hex SHA-256(ciphertext): a bytes32, the leaf material anchored on chain. */
  contentHash: string;
}

function checkRef(ref: RecordRef): void {
  for (const [name, s] of [['recordId', ref.recordId], ['patient', ref.patient]] as const) {
    if (typeof s !== 'string' || s.length === 0 || s.length > 1024) {
      throw new CryptoError('invalid-input', `${name} must be a non-empty string of at most 1024 chars`);
    }
  }
  if (!Number.isSafeInteger(ref.version) || ref.version < 0) {
    throw new CryptoError('invalid-input', 'version must be a non-negative integer');
  }
}

/** Length-prefixed so no two (recordId, patient, version) triples share an encoding. */
export function recordAad(ref: RecordRef): Uint8Array {
  checkRef(ref);
  return lengthPrefixed('SecureMed record v1', ref.recordId, ref.patient, i2osp(ref.version, 8));
}

export function contentHash(ciphertext: Uint8Array): string {
  return `0x${toHex(sha256(ciphertext))}`;
}

function checkDek(dek: Uint8Array): void {
  if (!(dek instanceof Uint8Array) || dek.length !== DEK_LENGTH) {
    throw new CryptoError('invalid-key', 'a DEK is 32 bytes');
  }
}

/** Encrypts canonical JSON of `value` under a fresh DEK. The caller wraps the returned DEK. */
export async function encryptRecord(
  ref: RecordRef,
  value: unknown,
): Promise<{ envelope: RecordEnvelope; dek: Uint8Array }> {
  const aad = recordAad(ref);
  const pt = canonicalJsonBytes(value);
  const dek = randomBytes(DEK_LENGTH);
  const nonce = randomBytes(GCM_NONCE_LENGTH);
  const ct = await aesGcmEncrypt(await importAesGcmKey(dek), nonce, aad, pt);
  const ciphertext = concat(nonce, ct);
  const { recordId, patient, version } = ref;
  return { envelope: { v: 1, recordId, patient, version, ciphertext, contentHash: contentHash(ciphertext) }, dek };
}

/**
 * Checks the content hash (the envelope's, and `expectedContentHash` if given, e.g. the anchored one),
 * then the AES-GCM tag under the envelope's AAD. Throws CryptoError 'hash-mismatch' or 'integrity'.
 */
export async function decryptRecord(
  envelope: RecordEnvelope,
  dek: Uint8Array,
  opts: { expectedContentHash?: string } = {},
): Promise<JsonValue> {
  if (envelope.v !== 1) throw new CryptoError('unsupported', `unknown record envelope version ${envelope.v}`);
  checkDek(dek);
  if (!(envelope.ciphertext instanceof Uint8Array) || envelope.ciphertext.length < GCM_NONCE_LENGTH + 16) {
    throw new CryptoError('invalid-input', 'record ciphertext is missing or too short');
  }
  const actual = contentHash(envelope.ciphertext);
  for (const expected of [envelope.contentHash, opts.expectedContentHash]) {
    if (expected !== undefined && expected.toLowerCase() !== actual) {
      throw new CryptoError('hash-mismatch', 'record ciphertext does not match its content hash');
    }
  }
  const nonce = envelope.ciphertext.subarray(0, GCM_NONCE_LENGTH);
  const ct = envelope.ciphertext.subarray(GCM_NONCE_LENGTH);
  const pt = await aesGcmDecrypt(await importAesGcmKey(dek), nonce, recordAad(envelope), ct);
  return JSON.parse(fromUtf8(pt)) as JsonValue;
}

// ---- Patient's own copy: DEK wrapped under the vault key (AES-256-GCM, record id as AAD). ----
// AES-GCM rather than AES-KW so the wrap is bound to its record: a wrapped DEK moved to another record
// fails to unwrap. Random 96-bit nonces are safe far beyond a vault's size (< 2^32 wraps per key).

const vaultWrapAad = (recordId: string) => lengthPrefixed('SecureMed vault dek-wrap v1', recordId);

/** → nonce (12) ‖ encrypted DEK (32) ‖ tag (16) = 60 bytes. */
export async function wrapDek(vaultKey: AesKey, recordId: string, dek: Uint8Array): Promise<Uint8Array> {
  checkDek(dek);
  const nonce = randomBytes(GCM_NONCE_LENGTH);
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

function keyBatchAad(batchId: string, items: readonly KeyBatchItem[]): Uint8Array {
  if (typeof batchId !== 'string' || batchId.length === 0 || batchId.length > 1024) {
    throw new CryptoError('invalid-input', 'batchId must be a non-empty string of at most 1024 chars');
  }
  if (items.length === 0 || items.length > KEY_BATCH_MAX) {
    throw new CryptoError('invalid-input', `a key batch holds 1..${KEY_BATCH_MAX} DEKs`);
  }
  const fields: (string | Uint8Array)[] = ['SecureMed vault dek-batch v1', batchId, i2osp(items.length, 4)];
  for (const item of items) {
    checkRef({ recordId: item.recordId, patient: '-', version: item.version });
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
): Promise<Uint8Array> {
  const aad = keyBatchAad(batchId, items);
  if (!(deks instanceof Uint8Array) || deks.length !== items.length * DEK_LENGTH) {
    throw new CryptoError('invalid-key', 'a key batch is 32 bytes per item');
  }
  const nonce = randomBytes(GCM_NONCE_LENGTH);
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
  if (!(wrapped instanceof Uint8Array) || wrapped.length < GCM_NONCE_LENGTH + 16) {
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
