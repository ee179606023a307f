import { PROOF_FILE_FORMAT, PROOF_FILE_VERSION, ProofFile } from '../../shared/anchoring/proof-file';
import { anchorLeaf } from '../../shared/anchoring/leaf';
import { toBase64 } from '../../shared/crypto/bytes';
import { contentHash } from '../../shared/crypto/record-envelope';
import { UiError } from '../../shared/protocol/ui-errors';
import { vaultDb } from '../records/db';
import { openRecord, rowDekOrUndefined } from '../records/seal';
import { recordKeys } from '../records/vault-keys';
import { anchoringAccount } from './account';
import { loadBatches } from './store';
import { batchTree } from './tree';
import { verifyRecord } from './verify';

/**
 * "Export with proof": the record + proof file (shared/anchoring/proof-file.ts) for one record that
 * the chain confirms unchanged. Sealed only by default (proves the bytes, shows nothing); with the
 * content, the file also carries this record version's own key and the resource, so the holder can
 * check that the plaintext is what was sealed — that key opens this one record version, nothing else.
 */
export async function exportWithProof(id: string, includeContent: boolean): Promise<{ fileName: string; text: string }> {
  const [account, batches, keys] = await Promise.all([anchoringAccount(), loadBatches(), recordKeys()]);
  const verdict = await verifyRecord(id, { account: account.address, batches });
  if (verdict.state !== 'unchanged') throw new UiError('invalid', 'Only a record the chain confirms as unchanged can be exported with its proof. Verify it to see why not.');
  const row = (await vaultDb().records.get(id))!;
  const hash = contentHash(row.envelope);
  const batch = batches.find((b) => b.state === 'anchored' && b.leaves.some((l) => l.r === id && l.v === row.version && l.h === hash))!;
  const leaf = anchorLeaf({ recordId: id, version: row.version, contentHash: hash });
  let content = {};
  if (includeContent) {
    const opened = await openRecord(keys, row, hash);
    const dek = await rowDekOrUndefined(keys, row);
    if (!opened.ok || !dek) throw new UiError('invalid', 'This record does not open, so its content cannot be exported.');
    content = { dek: toBase64(dek), resource: opened.resource };
    dek.fill(0);
  }
  const file: ProofFile = ProofFile.parse({
    format: PROOF_FILE_FORMAT,
    v: PROOF_FILE_VERSION,
    exportedAt: new Date().toISOString(),
    record: { id, version: row.version, patient: keys.patient, contentHash: hash, ciphertext: toBase64(row.envelope), ...content },
    leaf,
    proof: batchTree(batch).proof(leaf),
    root: batch.root,
    anchor: {
      chainId: batch.chainId,
      contract: batch.contract,
      account: batch.account,
      blockNumber: verdict.blockNumber,
      blockTime: verdict.blockTime,
      ...(batch.txHash ? { txHash: batch.txHash } : {}),
      count: batch.count,
    },
  });
  return { fileName: `securemed-record-proof-${id.slice(0, 8)}.json`, text: `${JSON.stringify(file, null, 2)}\n` };
}
