// Record batches as OpenZeppelin StandardMerkleTree over leaves `[bytes32 contentHash]`, the format
// RecordAnchor.verify recomputes on chain (double-keccak leaf, sorted pairs). Using the maintained
// library on both sides is what makes proofs interoperate.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { AbiCoder, isHexString, keccak256 } from 'ethers';

export const LEAF_ENCODING = ['bytes32'] as const;

export interface RecordBatch {
  root: string;
  count: number;
  /** Proof for one content hash of the batch; throws if the hash is not in it. */
  proof(contentHash: string): string[];
  /** Every content hash with its proof, for storing next to each record in the vault. */
  proofs(): Array<{ contentHash: string; proof: string[] }>;
  /** Serializable form (StandardMerkleTree dump) to rebuild the tree later. */
  dump(): ReturnType<StandardMerkleTree<[string]>['dump']>;
}

function normalize(hash: string): string {
  if (!isHexString(hash, 32)) throw new Error(`content hash must be 32-byte hex: ${hash}`);
  return hash.toLowerCase();
}

/** Builds the tree of a batch of record content hashes (non-empty, no duplicates). */
export function buildRecordTree(contentHashes: readonly string[]): RecordBatch {
  if (contentHashes.length === 0) throw new Error('a batch needs at least one record');
  const values = contentHashes.map(normalize);
  const index = new Map<string, number>();
  values.forEach((v, i) => {
    if (index.has(v)) throw new Error(`duplicate content hash in batch: ${v}`);
    index.set(v, i);
  });
  const tree = StandardMerkleTree.of(
    values.map((v) => [v] as [string]),
    [...LEAF_ENCODING],
  );
  // The tree reorders leaves; map each value to its tree index once, not per proof.
  const treeIndex = new Map<string, number>();
  for (const [i, [v]] of tree.entries()) treeIndex.set(v.toLowerCase(), i);
  const proof = (contentHash: string) => {
    const i = treeIndex.get(normalize(contentHash));
    if (i === undefined) throw new Error(`content hash not in batch: ${contentHash}`);
    return tree.getProof(i);
  };
  return {
    root: tree.root,
    count: values.length,
    proof,
    proofs: () => values.map((contentHash) => ({ contentHash, proof: proof(contentHash) })),
    dump: () => tree.dump(),
  };
}

/** The leaf hash of a content hash, as the contract computes it. */
export function recordLeafHash(contentHash: string): string {
  // Same as the library's standardLeafHash (not exported from its entry point): double keccak.
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode([...LEAF_ENCODING], [normalize(contentHash)])));
}

/** Off-chain check of a stored proof against a root. */
export function verifyRecordProof(root: string, contentHash: string, proof: readonly string[]): boolean {
  return StandardMerkleTree.verify(root, [...LEAF_ENCODING], [normalize(contentHash)], [...proof]);
}
