import { canonicalJsonBytes } from '../../shared/crypto/canonical-json';
import { isCryptoError } from '../../shared/crypto/errors';
import { unwrapDek } from '../../shared/crypto/key-wrap';
import { decryptRecordText, sealRecordChunk } from '../../shared/crypto/record-envelope';
import type { KeyBatchRow, RecordRow } from './db';
import { batchDek } from './key-batches';
import type { RecordKeys } from './vault-keys';
import { logError } from '../logging/log';

/** Record version bound into the AAD: a record is written once; an edit would be a new version. */
export const RECORD_VERSION = 1;

export interface SealInput {
  id: string;
  /** Canonical JSON bytes of the resource. */
  plaintext: Uint8Array;
}
export type SealedRecord = Pick<RecordRow, 'id' | 'envelope' | 'contentHash' | 'dekRef'>;

/**
 * Seal one import chunk with shared/crypto's sealRecordChunk (the record envelope's fast path: a fresh
 * DEK per record, one key batch for the chunk) and shape the result as vault rows: each row points at its
 * slot in the batch (`dekRef`), the batch becomes a keyBatches row.
 */
export async function sealChunk(keys: Pick<RecordKeys, 'patient' | 'dekWrap'>, inputs: readonly SealInput[]) {
  const sealed = await sealRecordChunk(keys.dekWrap, keys.patient, RECORD_VERSION, inputs.map(({ id, plaintext }) => ({ recordId: id, plaintext })));
  const { batchId, items, wrapped } = sealed.batch;
  const records: SealedRecord[] = sealed.records.map((r, index) => ({ id: r.recordId, envelope: r.ciphertext, contentHash: r.contentHash, dekRef: { batch: batchId, index } }));
  const batch: KeyBatchRow = { id: batchId, records: items.map((item) => ({ id: item.recordId, version: item.version })), wrapped };
  return { records, batch };
}

/** sealChunk + canonical JSON + the row fields the import adds. */
export async function sealRecords(keys: RecordKeys, records: ReadonlyArray<{ id: string; resource: unknown; dedupKey: string }>) {
  const sealed = await sealChunk(keys, records.map(({ id, resource }) => ({ id, plaintext: canonicalJsonBytes(resource) })));
  const rows: RecordRow[] = sealed.records.map((r, i) => ({ ...r, dedupKey: records[i]!.dedupKey, version: RECORD_VERSION }));
  return { rows, batch: sealed.batch };
}

/** An opened record: the resource and its JSON text as sealed (canonical JSON), or damaged. */
export type Opened = { ok: true; resource: unknown; json: string } | { ok: false; problem: 'damaged' };

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
    const json = await decryptRecordText(
      { v: 1, recordId: row.id, patient: keys.patient, version: row.version, ciphertext: row.envelope, contentHash: row.contentHash },
      dek,
      { expectedContentHash },
    );
    dek.fill(0);
    return { ok: true, resource: JSON.parse(json), json };
  } catch (error) {
    if (isCryptoError(error) || error instanceof SyntaxError || error instanceof TypeError) {
      logError('records', 'a stored record did not open (shown as damaged)', error);
      return { ok: false, problem: 'damaged' };
    }
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

