// Where a record is encrypted — the one answer (docs/architecture.md "Records" and "Cost model"): one fresh 256-bit
// DEK per record version, AES-256-GCM with a random nonce, AAD binding record id + patient + version,
// content hash = SHA-256 of the ciphertext. `encryptRecord` seals one record; `sealRecordChunk` is the
// import's fast path for many records (same bytes, pinned by test/fixtures/vectors/record-chunk.json).
// The DEKs are wrapped in key-wrap.ts (own copy under the vault key; sharing in one HPKE context).
import { sha256 } from '@noble/hashes/sha2.js';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH, GCM_TAG_LENGTH, importAesGcmKey, type AesKey } from './aead.js';
import { ab, concat, fromUtf8, i2osp, lengthPrefixed, randomBytes, toHex } from './bytes.js';
import { canonicalJsonBytes, type JsonValue } from './canonical-json.js';
import { CryptoError } from './errors.js';
import { checkDek, checkId, checkVersion, DEK_LENGTH, wrapDekBatch, type KeyBatchItem } from './key-wrap.js';

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
  checkId('recordId', ref.recordId);
  checkId('patient', ref.patient);
  checkVersion(ref.version);
}

const RECORD_AAD_LABEL = 'SecureMed record v1';

/** Length-prefixed so no two (recordId, patient, version) triples share an encoding. */
export function recordAad(ref: RecordRef): Uint8Array {
  checkRef(ref);
  return lengthPrefixed(RECORD_AAD_LABEL, ref.recordId, ref.patient, i2osp(ref.version, 8));
}

export function contentHash(ciphertext: Uint8Array): string {
  return `0x${toHex(sha256(ciphertext))}`;
}

/**
 * contentHash by WebCrypto, for the hot paths (sealing an import, opening records): ≈ 5× faster than
 * @noble/hashes on 2 KB in Chromium, and off the worker's thread. Same value, pinned by the vectors.
 */
async function contentHashAsync(ciphertext: Uint8Array): Promise<string> {
  return hex0x(new Uint8Array(await crypto.subtle.digest('SHA-256', ab(ciphertext))));
}

export interface EncryptOptions {
  /** Deterministic DEK and nonce: format vectors only. */
  dek?: Uint8Array;
  nonce?: Uint8Array;
}

/** Encrypts canonical JSON of `value` under a fresh DEK. The caller wraps the returned DEK. */
export async function encryptRecord(
  ref: RecordRef,
  value: unknown,
  opts: EncryptOptions = {},
): Promise<{ envelope: RecordEnvelope; dek: Uint8Array }> {
  const aad = recordAad(ref);
  const pt = canonicalJsonBytes(value);
  const dek = opts.dek ?? randomBytes(DEK_LENGTH);
  checkDek(dek);
  const nonce = opts.nonce ?? randomBytes(GCM_NONCE_LENGTH);
  const ct = await aesGcmEncrypt(await importAesGcmKey(dek), nonce, aad, pt);
  const ciphertext = concat(nonce, ct);
  const { recordId, patient, version } = ref;
  return { envelope: { v: 1, recordId, patient, version, ciphertext, contentHash: contentHash(ciphertext) }, dek };
}

/**
 * Checks the content hash (the envelope's, and `expectedContentHash` if given, e.g. the anchored one),
 * then the AES-GCM tag under the envelope's AAD. Throws CryptoError 'hash-mismatch' or 'integrity'.
 */
export async function decryptRecord(envelope: RecordEnvelope, dek: Uint8Array, opts: { expectedContentHash?: string } = {}): Promise<JsonValue> {
  return JSON.parse(await decryptRecordText(envelope, dek, opts)) as JsonValue;
}

/**
 * decryptRecord's checks, answering the plaintext as it was sealed: the record's canonical JSON text
 * (a search page sends that text as it is instead of serializing the parsed record again).
 */
export async function decryptRecordText(
  envelope: RecordEnvelope,
  dek: Uint8Array,
  opts: { expectedContentHash?: string } = {},
): Promise<string> {
  if (envelope.v !== 1) throw new CryptoError('unsupported', `unknown record envelope version ${envelope.v}`);
  checkDek(dek);
  if (!(envelope.ciphertext instanceof Uint8Array) || envelope.ciphertext.length < GCM_NONCE_LENGTH + GCM_TAG_LENGTH) {
    throw new CryptoError('invalid-input', 'record ciphertext is missing or too short');
  }
  const nonce = envelope.ciphertext.subarray(0, GCM_NONCE_LENGTH);
  const ct = envelope.ciphertext.subarray(GCM_NONCE_LENGTH);
  // The decrypt runs while the content hash is computed (both WebCrypto, as sealing does: @noble/hashes
  // on the worker's thread was ≈ 16 % of its time reading a page of search results, CPU profile in
  // extension/fhir-search/README.md). Nothing is returned, and no decrypt error reported, before the
  // hash check passed: a ciphertext that does not match is a hash mismatch, as before.
  const decrypting = importAesGcmKey(dek).then((key) => aesGcmDecrypt(key, nonce, cachedAad(envelope), ct));
  decrypting.catch(() => undefined); // awaited below, after the hash check
  const actual = await contentHashAsync(envelope.ciphertext);
  for (const expected of [envelope.contentHash, opts.expectedContentHash]) {
    if (expected !== undefined && expected.toLowerCase() !== actual) {
      throw new CryptoError('hash-mismatch', 'record ciphertext does not match its content hash');
    }
  }
  return fromUtf8(await decrypting);
}

// ---- The import's fast path: one chunk of records of one patient and version. ----

export interface ChunkInput {
  recordId: string;
  /** Canonical JSON bytes of the record (canonicalJsonBytes). */
  plaintext: Uint8Array;
}

export interface SealedChunk {
  /** In input order: exactly `encryptRecord`'s ciphertext and content hash for the same DEK and nonce. */
  records: Array<{ recordId: string; ciphertext: Uint8Array; contentHash: string }>;
  /** The chunk's DEKs in one key batch (key-wrap.ts wrapDekBatch): slot i = records[i]. */
  batch: { batchId: string; items: KeyBatchItem[]; wrapped: Uint8Array };
}

export interface ChunkOptions {
  /** Deterministic batch id, DEKs (n × 32 bytes), record nonces (n × 12) and batch nonce: format vectors only. */
  batchId?: string;
  deks?: Uint8Array;
  nonces?: Uint8Array;
  batchNonce?: Uint8Array;
}

/**
 * Records in flight at once within a chunk. WebCrypto runs on its own thread, so a few in flight keep it
 * busy; measured in Chromium (10,000 × 1.8 KB), 4–8 lanes were slightly faster than all 500 at once.
 */
const SEAL_LANES = 8;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex0x = (bytes: Uint8Array) => {
  let out = '0x';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
};

/**
 * recordAad(ref) for many records of one patient and version, without re-encoding the constant fields
 * per record (in the hot loop that JS work is a visible share of a record's cost). Byte-identical to
 * recordAad (the chunk vectors check it); ids that are not plain ASCII take recordAad itself.
 */
function aadBuilder(patient: string, version: number): (recordId: string) => Uint8Array<ArrayBuffer> {
  checkRef({ recordId: '-', patient, version });
  const head = lengthPrefixed(RECORD_AAD_LABEL);
  const tail = lengthPrefixed(patient, i2osp(version, 8));
  return (recordId) => {
    if (recordId.length === 0 || recordId.length > 1024 || !/^[\x20-\x7e]+$/.test(recordId)) {
      return ab(recordAad({ recordId, patient, version }));
    }
    const n = recordId.length;
    const out = new Uint8Array(head.length + 4 + n + tail.length);
    out.set(head, 0);
    new DataView(out.buffer).setUint32(head.length, n);
    for (let i = 0; i < n; i++) out[head.length + 4 + i] = recordId.charCodeAt(i);
    out.set(tail, head.length + 4 + n);
    return out;
  };
}

/**
 * recordAad for opening records: the builder of the last (patient, version) seen is kept, since a vault
 * opens its records one patient and version at a time (a fresh TextEncoder + length-prefixing per record
 * was a visible share of a search page's worker time). Same bytes as recordAad, same checks.
 */
let lastAad: { patient: string; version: number; build: (recordId: string) => Uint8Array } | undefined;
function cachedAad(ref: RecordRef): Uint8Array {
  checkId('recordId', ref.recordId);
  if (lastAad?.patient !== ref.patient || lastAad.version !== ref.version) {
    lastAad = { patient: ref.patient, version: ref.version, build: aadBuilder(ref.patient, ref.version) };
  }
  return lastAad.build(ref.recordId);
}

/**
 * Seal one import chunk: per record a fresh 256-bit DEK, AES-256-GCM with the record AAD (nonce ‖ ct ‖
 * tag) and '0x' + SHA-256 of the ciphertext (WebCrypto: ≈ 5× faster than @noble/hashes on 2 KB in
 * Chromium, measured); then ALL the chunk's DEKs wrapped in one key batch under the vault key. Per record
 * that is 3 WebCrypto calls (importKey, encrypt, digest) instead of 4, and the JS around them is kept
 * small: random bytes for the whole chunk come from one call. The DEKs are zeroed before returning.
 */
export async function sealRecordChunk(
  vaultKey: AesKey,
  patient: string,
  version: number,
  inputs: readonly ChunkInput[],
  opts: ChunkOptions = {},
): Promise<SealedChunk> {
  const n = inputs.length;
  const batchId = opts.batchId ?? crypto.randomUUID();
  // Copies, so zeroing at the end never touches a caller's (vector) buffer.
  const deks = opts.deks ? new Uint8Array(opts.deks) : randomBytes(n * DEK_LENGTH);
  const nonces = opts.nonces ?? randomBytes(n * GCM_NONCE_LENGTH);
  if (deks.length !== n * DEK_LENGTH || nonces.length !== n * GCM_NONCE_LENGTH) {
    throw new CryptoError('invalid-input', 'one DEK and one nonce per record');
  }
  const aadOf = aadBuilder(patient, version);
  const items = inputs.map(({ recordId }) => ({ recordId, version }));
  // The batch wrap is issued first so it runs alongside the records. WebCrypto copies its inputs when
  // called, so zeroing `deks` after everything settled cannot race with it.
  const wrapping = wrapDekBatch(vaultKey, batchId, items, deks, { nonce: opts.batchNonce });
  const sealOne = async ({ recordId, plaintext }: ChunkInput, i: number) => {
    const dek = deks.subarray(i * DEK_LENGTH, (i + 1) * DEK_LENGTH);
    const nonce = ab(nonces.subarray(i * GCM_NONCE_LENGTH, (i + 1) * GCM_NONCE_LENGTH));
    const additionalData = aadOf(recordId);
    const key = await crypto.subtle.importKey('raw', dek, 'AES-GCM', false, ['encrypt']);
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData, tagLength: 128 }, key, ab(plaintext));
    const ciphertext = concat(nonce, new Uint8Array(ct));
    return { recordId, ciphertext, contentHash: await contentHashAsync(ciphertext) };
  };
  const records: SealedChunk['records'] = new Array(n);
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      records[i] = await sealOne(inputs[i]!, i);
    }
  };
  const sealing = Promise.all(Array.from({ length: Math.min(n, SEAL_LANES) }, lane));
  try {
    const [wrapped] = await Promise.all([wrapping, sealing]);
    return { records, batch: { batchId, items, wrapped } };
  } finally {
    // Zero the DEKs only once nothing can still be reading them (also when one call failed).
    await Promise.allSettled([wrapping, sealing]);
    deks.fill(0);
  }
}
