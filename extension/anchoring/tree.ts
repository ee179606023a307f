import { anchorLeaf } from '../../shared/anchoring/leaf';
import { buildRecordTree, type RecordBatch } from '../../shared/chain/merkle';
import type { AnchorBatch, BatchLeaf } from './store';

/**
 * A batch's Merkle tree, rebuilt from its row (leaves + padding): shared/chain/merkle.ts over the
 * anchored leaf values (shared/anchoring/leaf.ts). The root depends only on the set of values, so the
 * row rebuilds exactly the anchored tree. Trees are kept in worker memory per batch (dropped on lock).
 */
export const MIN_BATCH_SIZE = 8;

/**
 * The count the chain is told: the next power of two, at least 8. It says how fast a vault grows only
 * to within a factor of two, and hides single-record batches; it costs nothing on chain (one slot per
 * root whatever the count) and one more proof step at most.
 */
export function paddedCount(records: number): number {
  let n = MIN_BATCH_SIZE;
  while (n < records) n *= 2;
  return n;
}

/** Random 32-byte values: indistinguishable from real leaves (which are keccak outputs). */
export function paddingLeaves(n: number): string[] {
  return Array.from({ length: n }, () => `0x${Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('')}`);
}

export const leafOf = (l: BatchLeaf) => anchorLeaf({ recordId: l.r, version: l.v, contentHash: l.h });

export function treeOf(leaves: readonly BatchLeaf[], padding: readonly string[]): RecordBatch {
  return buildRecordTree([...leaves.map(leafOf), ...padding]);
}

const trees = new Map<string, RecordBatch>();

/** The batch's tree, from memory when this worker already rebuilt it. */
export function batchTree(batch: AnchorBatch): RecordBatch {
  const key = `${batch.id}:${batch.root}`;
  let tree = trees.get(key);
  if (!tree) {
    tree = treeOf(batch.leaves, batch.padding);
    if (tree.root !== batch.root) throw new Error('a batch row does not rebuild its own root');
    trees.set(key, tree);
  }
  return tree;
}

export function forgetTrees(): void {
  trees.clear();
}
