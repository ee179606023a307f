// The checks that need no chain: the file's shape (one zod schema, shared/anchoring/proof-file.ts), the
// content hash and leaf recomputed from the ciphertext, the Merkle proof up to the file's root, and —
// only when the patient included the record's key — the readable copy against the ciphertext.
// Nothing in the file is taken on trust: hashes and the leaf are recomputed, never read.
import { createHash } from 'node:crypto';
import { anchorLeaf } from '../../shared/anchoring/leaf';
import { ProofFile } from '../../shared/anchoring/proof-file';
import { verifyRecordProof } from '../../shared/chain/merkle';
import { canonicalJson } from '../../shared/crypto/canonical-json';
import { fromBase64 } from '../../shared/crypto/bytes';
import { isCryptoError } from '../../shared/crypto/errors';
import { decryptRecord } from '../../shared/crypto/record-envelope';
import { fail, type Failure } from './outcome';

export interface OfflineFacts {
  file: ProofFile;
  /** '0x' + SHA-256 of the file's ciphertext, computed here. */
  contentHash: string;
  /** anchorLeaf(id, version, computed content hash), computed here. */
  leaf: string;
  /** Whether the readable copy (record.resource) was checked against the ciphertext with the included key. */
  contentChecked: boolean;
}

/** JSON text → a valid proof file, or a failure listing what is wrong where. */
export function parseProofFile(text: string): { ok: true; file: ProofFile } | Failure {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('malformed-file', `The file is not JSON (${(e as Error).message}).`);
  }
  const parsed = ProofFile.safeParse(json);
  if (parsed.success) return { ok: true, file: parsed.data };
  const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`);
  return fail('malformed-file', 'The file is not a SecureMed record proof file (format securemed-record-proof, v1).', issues);
}

/**
 * The record's leaf recomputed from its bytes: the part of a check that scales with the record. The
 * content hash is SHA-256 of the ciphertext, computed here with Node's own SHA-256 (not the project's
 * crypto module: an independent implementation, and several times faster than the portable one).
 */
export function recomputeLeaf(record: Pick<ProofFile['record'], 'id' | 'version' | 'ciphertext'>): { contentHash: string; leaf: string } {
  const hash = `0x${createHash('sha256').update(Buffer.from(record.ciphertext, 'base64')).digest('hex')}`;
  return { contentHash: hash, leaf: anchorLeaf({ recordId: record.id, version: record.version, contentHash: hash }) };
}

export async function checkOffline(file: ProofFile): Promise<{ ok: true; facts: OfflineFacts } | Failure> {
  const { record } = file;
  const computed = recomputeLeaf(record);
  if (!verifyRecordProof(file.root, computed.leaf, file.proof)) {
    // Tell a changed record from a proof that belongs to something else: does the proof at least lead
    // from the leaf the file states to the root?
    const statedLeafFits = verifyRecordProof(file.root, file.leaf, file.proof);
    if (statedLeafFits && computed.contentHash !== record.contentHash) {
      return fail('record-modified', 'The record was changed: its bytes no longer match the content hash that was anchored.', [
        `content hash in the file: ${record.contentHash}`,
        `content hash of the ciphertext in the file: ${computed.contentHash}`,
      ]);
    }
    if (statedLeafFits) {
      return fail('record-modified', 'The record was changed: its id or version is not the one that was anchored with these bytes.', [
        `leaf in the file: ${file.leaf}`,
        `leaf of record ${record.id} version ${record.version}: ${computed.leaf}`,
      ]);
    }
    return fail('wrong-proof', 'The proof does not lead from this record to the batch root in the file: the record or its proof was changed, or the proof belongs to another record.', [
      `root in the file: ${file.root}`,
      `leaf of this record: ${computed.leaf}`,
    ]);
  }
  if (computed.leaf !== file.leaf || computed.contentHash !== record.contentHash) {
    // The proof fits the recomputed leaf, so the record is intact; the stated hashes are just wrong.
    return fail('malformed-file', 'The hashes written in the file do not match the record (the record itself fits the proof).', [
      `contentHash: file ${record.contentHash}, computed ${computed.contentHash}`,
      `leaf: file ${file.leaf}, computed ${computed.leaf}`,
    ]);
  }
  const contentChecked = record.dek !== undefined;
  if (contentChecked) {
    const content = await checkReadableCopy(record, computed.contentHash);
    if (!content.ok) return content;
  }
  return { ok: true, facts: { file, ...computed, contentChecked } };
}

/** With the included DEK: the ciphertext opens under its own id, patient and version, and says what the readable copy says. */
async function checkReadableCopy(record: ProofFile['record'], hash: string): Promise<{ ok: true } | Failure> {
  let plain: unknown;
  try {
    plain = await decryptRecord(
      { v: 1, recordId: record.id, patient: record.patient, version: record.version, ciphertext: fromBase64(record.ciphertext), contentHash: hash },
      fromBase64(record.dek!),
    );
  } catch (e) {
    if (isCryptoError(e)) {
      return fail('content-mismatch', 'The key included in the file does not open the record as this record id, patient and version: the readable copy cannot be trusted.', [
        (e as Error).message,
      ]);
    }
    throw e;
  }
  if (canonicalJson(plain) !== canonicalJson(record.resource)) {
    return fail('content-mismatch', 'The readable copy in the file (record.resource) differs from the anchored ciphertext: it was changed after export.');
  }
  return { ok: true };
}
