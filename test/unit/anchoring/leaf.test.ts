import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { anchorLeaf, recordIdHash } from '../../../shared/anchoring/leaf';
import { ProofFile } from '../../../shared/anchoring/proof-file';
import { buildRecordTree, recordLeafHash, verifyRecordProof } from '../../../shared/chain/merkle';

interface LeafCase {
  recordId: string;
  version: number | string;
  contentHash: string;
  expected: { recordIdHash: string; leaf: string; treeLeafHash: string };
}
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/vectors/anchor-leaf.json', import.meta.url), 'utf8')) as {
  cases: LeafCase[];
  twoLeafRoot: { leaves: string[]; root: string };
};

describe('anchored leaf (frozen format, test/fixtures/vectors/anchor-leaf.json)', () => {
  it.each(vectors.cases.map((c) => [c.recordId, c.version, c] as const))('%s v%s matches the independent vector', (_id, _v, c) => {
    expect(recordIdHash(c.recordId)).toBe(c.expected.recordIdHash);
    const leaf = anchorLeaf({ recordId: c.recordId, version: BigInt(c.version), contentHash: c.contentHash });
    expect(leaf).toBe(c.expected.leaf);
    // shared/chain/merkle.ts (and RecordAnchor.verify) hash the value as a standard leaf.
    expect(recordLeafHash(leaf)).toBe(c.expected.treeLeafHash);
  });

  it('the leaf is the tree value: a two-leaf root equals the vector, proofs verify', () => {
    const tree = buildRecordTree(vectors.twoLeafRoot.leaves);
    expect(tree.root).toBe(vectors.twoLeafRoot.root);
    for (const leaf of vectors.twoLeafRoot.leaves) expect(verifyRecordProof(tree.root, leaf, tree.proof(leaf))).toBe(true);
  });

  it('another version, content or id is another leaf', () => {
    const base = { recordId: 'r-1', version: 1, contentHash: `0x${'11'.repeat(32)}` };
    const leaf = anchorLeaf(base);
    expect(anchorLeaf({ ...base, version: 2 })).not.toBe(leaf);
    expect(anchorLeaf({ ...base, contentHash: `0x${'12'.repeat(32)}` })).not.toBe(leaf);
    expect(anchorLeaf({ ...base, recordId: 'r-2' })).not.toBe(leaf);
    expect(anchorLeaf({ ...base, contentHash: base.contentHash.toUpperCase().replace('0X', '0x') })).toBe(leaf);
  });

  it('refuses what it cannot encode', () => {
    expect(() => anchorLeaf({ recordId: '', version: 1, contentHash: `0x${'11'.repeat(32)}` })).toThrow();
    expect(() => anchorLeaf({ recordId: 'r', version: -1, contentHash: `0x${'11'.repeat(32)}` })).toThrow();
    expect(() => anchorLeaf({ recordId: 'r', version: 2n ** 64n, contentHash: `0x${'11'.repeat(32)}` })).toThrow();
    expect(() => anchorLeaf({ recordId: 'r', version: 1, contentHash: '0x11' })).toThrow();
  });
});

describe('proof file schema', () => {
  const file = {
    format: 'securemed-record-proof',
    v: 1,
    exportedAt: '2026-11-26T16:00:00.000Z',
    record: { id: 'r-1', version: 1, patient: `0x${'ab'.repeat(20)}`, contentHash: `0x${'11'.repeat(32)}`, ciphertext: 'AAECAw==' },
    leaf: `0x${'22'.repeat(32)}`,
    proof: [`0x${'33'.repeat(32)}`],
    root: `0x${'44'.repeat(32)}`,
    anchor: { chainId: 31337, contract: `0x${'55'.repeat(20)}`, account: `0x${'66'.repeat(20)}`, blockNumber: 7, blockTime: 1_800_000_000, count: 4 },
  };
  it('parses a sealed-only file', () => expect(ProofFile.parse(file)).toEqual(file));
  it('parses a file with the content and its key', () => {
    const withContent = { ...file, record: { ...file.record, dek: 'A'.repeat(43) + '=', resource: { resourceType: 'Observation' } } };
    expect(ProofFile.safeParse(withContent).success).toBe(true);
  });
  it('refuses unknown fields, a key without content, uppercase hashes', () => {
    expect(ProofFile.safeParse({ ...file, extra: 1 }).success).toBe(false);
    expect(ProofFile.safeParse({ ...file, record: { ...file.record, dek: 'A'.repeat(43) + '=' } }).success).toBe(false);
    expect(ProofFile.safeParse({ ...file, root: file.root.toUpperCase() }).success).toBe(false);
    expect(ProofFile.safeParse({ ...file, v: 2 }).success).toBe(false);
  });
});
