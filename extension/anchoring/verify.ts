import { anchorLeaf } from '../../shared/anchoring/leaf';
import { contentHash } from '../../shared/crypto/record-envelope';
import { verifyRecordProof } from '../../shared/chain/merkle';
import type { RecordVerdict, MissingBatch } from '../../shared/protocol/ui/anchoring';
import { UiError } from '../../shared/protocol/ui-errors';
import { vaultDb } from '../records/db';
import { anchoringAccount } from './account';
import { anchoredAt, anchorsOf, verifyOnChain } from './chain';
import { batchTree } from './tree';
import type { AnchorBatch } from './store';

/**
 * Verify: what an anchor catches that decryption cannot (README.md "What Verify tells").
 * - The leaf is recomputed from the STORED CIPHERTEXT (SHA-256 now, not the row's hash field), the
 *   record id and the row's version.
 * - Same id and version anchored with other bytes → changed after it was anchored (a valid re-seal
 *   under the vault's keys decrypts fine; only the anchor can tell).
 * - A newer version of the id anchored than the one held → rolled back (an old backup or a stale copy).
 * - The proof is checked by the chain itself (RecordAnchor.verify) for one record; "Verify all" checks
 *   proofs here and each batch root once on the chain (the same computation, fewer calls).
 * The vault's batch rows roll back with the vault, so the chain is asked too: Anchored events of the
 * anchoring account that no batch row knows are batches this copy of the vault is missing.
 */
export interface VerifyContext {
  account: string;
  batches: readonly AnchorBatch[];
  /** One chain answer per root, for Verify all (undefined = not anchored on chain). */
  rootTime?: Map<string, Promise<number | undefined>>;
}

export async function verifyRecord(id: string, ctx: VerifyContext): Promise<RecordVerdict> {
  const row = await vaultDb().records.get(id);
  if (!row) throw new UiError('not_found', 'That record is not in your vault.');
  const hash = contentHash(row.envelope);
  const named = namedIn(ctx).get(id) ?? [];
  const anchoredNamed = named.filter((n) => n.batch.state === 'anchored');
  const newest = anchoredNamed.reduce<(typeof named)[number] | undefined>((m, n) => (!m || n.leaf.v > m.leaf.v ? n : m), undefined);
  if (newest && newest.leaf.v > row.version) {
    return { state: 'rolled_back', version: row.version, anchoredVersion: newest.leaf.v, ...when(newest.batch) };
  }
  const exact = named.find((n) => n.leaf.v === row.version && n.leaf.h === hash);
  if (!exact) {
    const sameVersion = anchoredNamed.find((n) => n.leaf.v === row.version);
    if (sameVersion) return { state: 'changed', ...when(sameVersion.batch) };
    const waiting = named.find((n) => n.leaf.v === row.version && n.batch.state === 'waiting');
    if (waiting) return { state: row.contentHash.toLowerCase() === hash ? 'waiting' : 'changed_before_anchor' };
    return { state: 'not_anchored' };
  }
  if (exact.batch.state === 'waiting') return { state: 'waiting' };
  const leaf = anchorLeaf({ recordId: id, version: row.version, contentHash: hash });
  const proof = batchTree(exact.batch).proof(leaf);
  let blockTime: number | undefined;
  if (ctx.rootTime) {
    if (!verifyRecordProof(exact.batch.root, leaf, proof)) return { state: 'changed', ...when(exact.batch) };
    let asked = ctx.rootTime.get(exact.batch.root);
    if (!asked) ctx.rootTime.set(exact.batch.root, (asked = anchoredAt(ctx.account, exact.batch.root).then((a) => a?.blockTime)));
    blockTime = await asked;
  } else {
    blockTime = (await verifyOnChain(ctx.account, leaf, proof))?.blockTime;
  }
  // The vault remembers an anchoring the chain does not have (another chain, a reset local chain, or a
  // batch row that was rewritten): nothing here is vouched for by the chain.
  if (blockTime === undefined) return { state: 'not_on_chain', ...when(exact.batch) };
  return { state: 'unchanged', blockTime, blockNumber: exact.batch.blockNumber ?? 0, ...(exact.batch.txHash ? { txHash: exact.batch.txHash } : {}) };
}

type Named = { batch: AnchorBatch; leaf: AnchorBatch['leaves'][number] };
const indexes = new WeakMap<readonly AnchorBatch[], Map<string, Named[]>>();

/** Every batch leaf by record id, built once per batch list (Verify all asks for each record). */
function namedIn(ctx: VerifyContext): Map<string, Named[]> {
  let byId = indexes.get(ctx.batches);
  if (!byId) {
    byId = new Map();
    for (const batch of ctx.batches) {
      for (const leaf of batch.leaves) {
        const list = byId.get(leaf.r);
        if (list) list.push({ batch, leaf });
        else byId.set(leaf.r, [{ batch, leaf }]);
      }
    }
    indexes.set(ctx.batches, byId);
  }
  return byId;
}

function when(b: AnchorBatch): { blockTime?: number; blockNumber?: number } {
  return { ...(b.blockTime !== undefined ? { blockTime: b.blockTime } : {}), ...(b.blockNumber !== undefined ? { blockNumber: b.blockNumber } : {}) };
}

/** Batches the chain shows for this vault's anchoring account that no batch row here knows. */
export async function missingBatches(batches: readonly AnchorBatch[]): Promise<MissingBatch[]> {
  const account = (await anchoringAccount()).address;
  const known = new Set(batches.map((b) => b.root));
  return (await anchorsOf(account))
    .filter((a) => !known.has(a.root))
    .map((a) => ({ blockNumber: a.blockNumber, blockTime: a.blockTime, count: a.count }));
}
