import { GCM_NONCE_LENGTH } from '../../shared/crypto/aead';
import { ab, concat, i2osp, lengthPrefixed, randomBytes } from '../../shared/crypto/bytes';
import { canonicalJsonBytes } from '../../shared/crypto/canonical-json';
import { isCryptoError } from '../../shared/crypto/errors';
import { DEK_LENGTH, decryptRecord, recordAad, unwrapDek, wrapDekBatch } from '../../shared/crypto/record-envelope';
import type { KeyBatchRow, RecordRow } from './db';
import { batchDek } from './key-batches';
import type { RecordKeys } from './vault-keys';

/** Record version bound into the AAD: a record is written once; an edit would be a new version. */
export const RECORD_VERSION = 1;

export interface SealInput {
  id: string;
  /** Canonical JSON bytes of the resource. */
  plaintext: Uint8Array;
}
/**
 * Records in flight at once within a chunk. WebCrypto runs on its own thread, so a few in flight keep it
 * busy; measured in Chromium (10,000 × 1.8 KB), 4–8 lanes were slightly faster than all 500 at once.
 */
const SEAL_LANES = 8;
export type SealedRecord = Pick<RecordRow, 'id' | 'envelope' | 'contentHash' | 'dekRef'>;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex = (bytes: Uint8Array) => {
  let out = '0x';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
};

/**
 * recordAad(ref) for many records of one patient and version, without re-encoding the constant fields
 * per record (in the hot loop that JS work is a visible share of a record's cost). Byte-identical to
 * shared/crypto's recordAad (test/unit/records checks it); ids that are not plain ASCII take that path.
 */
function aadBuilder(patient: string, version: number): (recordId: string) => Uint8Array<ArrayBuffer> {
  const head = lengthPrefixed('SecureMed record v1');
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
 * Seal one import chunk: per record a fresh 256-bit DEK, AES-256-GCM with the record AAD (nonce ‖ ct ‖
 * tag, the shared/crypto envelope) and '0x' + SHA-256 of the envelope (WebCrypto: ≈ 5× faster than
 * @noble/hashes on 2 KB in Chromium, measured); then ALL the chunk's DEKs wrapped in one key batch under
 * the vault key (wrapDekBatch). Per record that is 3 WebCrypto calls (importKey, encrypt, digest) instead
 * of 4, and the JS around them is kept small: random bytes for the whole chunk come from one call.
 */
export async function sealChunk(keys: Pick<RecordKeys, 'patient' | 'dekWrap'>, inputs: readonly SealInput[]) {
  const n = inputs.length;
  const batchId = crypto.randomUUID();
  const deks = randomBytes(n * DEK_LENGTH);
  const nonces = randomBytes(n * GCM_NONCE_LENGTH);
  const aadOf = aadBuilder(keys.patient, RECORD_VERSION);
  const items = inputs.map(({ id }) => ({ recordId: id, version: RECORD_VERSION }));
  // The batch wrap is issued first so it runs alongside the records. WebCrypto copies its inputs when
  // called, so zeroing `deks` after everything settled cannot race with it.
  const wrapping = wrapDekBatch(keys.dekWrap, batchId, items, deks);
  const sealOne = async ({ id, plaintext }: SealInput, i: number): Promise<SealedRecord> => {
    const dek = deks.subarray(i * DEK_LENGTH, (i + 1) * DEK_LENGTH);
    const nonce = nonces.subarray(i * GCM_NONCE_LENGTH, (i + 1) * GCM_NONCE_LENGTH);
    const additionalData = aadOf(id);
    const key = await crypto.subtle.importKey('raw', dek, 'AES-GCM', false, ['encrypt']);
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData, tagLength: 128 }, key, ab(plaintext));
    const envelope = concat(nonce, new Uint8Array(ct));
    const contentHash = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', envelope)));
    return { id, envelope, contentHash, dekRef: { batch: batchId, index: i } };
  };
  const records: SealedRecord[] = new Array(n);
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
    const batch: KeyBatchRow = { id: batchId, records: inputs.map(({ id }) => ({ id, version: RECORD_VERSION })), wrapped };
    return { records, batch };
  } finally {
    // Zero the DEKs only once nothing can still be reading them (also when one call failed).
    await Promise.allSettled([wrapping, sealing]);
    deks.fill(0);
  }
}

/** sealChunk + canonical JSON + the row fields the import adds. */
export async function sealRecords(keys: RecordKeys, records: ReadonlyArray<{ id: string; resource: unknown; dedupKey: string }>) {
  const sealed = await sealChunk(keys, records.map(({ id, resource }) => ({ id, plaintext: canonicalJsonBytes(resource) })));
  const rows: RecordRow[] = sealed.records.map((r, i) => ({ ...r, dedupKey: records[i]!.dedupKey, version: RECORD_VERSION }));
  return { rows, batch: sealed.batch };
}

export type Opened = { ok: true; resource: unknown } | { ok: false; problem: 'damaged' };

/** The row's DEK: from its key batch (schema v2 rows) or its own wrap (v1 rows and restored rows). */
async function rowDek(keys: RecordKeys, row: RecordRow): Promise<Uint8Array> {
  if (row.dekRef) return batchDek(keys, row);
  if (row.wrappedDek) return unwrapDek(keys.dekWrap, row.id, row.wrappedDek);
  throw new TypeError('record row has no key');
}

/**
 * Decrypt one row. Any failure (hash mismatch, tag failure, a wrap or batch reference moved from another
 * record, a damaged or missing key batch, a truncated row) means this record is damaged; it is reported
 * for this record only, never thrown, so one bad row cannot stop the others from opening.
 */
export async function openRecord(keys: RecordKeys, row: RecordRow, expectedContentHash?: string): Promise<Opened> {
  try {
    const dek = await rowDek(keys, row);
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

/** The row's DEK (a copy, the caller zeroes it), or undefined when its wrap or batch is damaged. */
export async function rowDekOrUndefined(keys: RecordKeys, row: RecordRow): Promise<Uint8Array | undefined> {
  try {
    return await rowDek(keys, row);
  } catch {
    return undefined;
  }
}

/** A row restored from a backup is accepted only if its DEK unwraps under this vault's key. */
export async function wrapIsOurs(keys: RecordKeys, row: RecordRow): Promise<boolean> {
  const dek = await rowDekOrUndefined(keys, row);
  dek?.fill(0);
  return !!dek;
}

