import { describe, it, expect } from 'vitest';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { hexlify, randomBytes } from 'ethers';
import { buildRecordTree, recordLeafHash, verifyRecordProof } from '../../../shared/chain/merkle';

const hashes = (n: number) => Array.from({ length: n }, () => hexlify(randomBytes(32)));

describe('record Merkle batches', () => {
  it.each([1, 2, 3, 17, 1024])('every proof of a %i-record batch verifies off chain', (n) => {
    const leaves = hashes(n);
    const batch = buildRecordTree(leaves);
    expect(batch.count).toBe(n);
    const all = batch.proofs();
    expect(all.map((p) => p.contentHash)).toEqual(leaves);
    for (const { contentHash, proof } of n > 64 ? all.filter((_, i) => i % 97 === 0) : all) {
      expect(verifyRecordProof(batch.root, contentHash, proof)).toBe(true);
    }
  });

  it('a single-record batch has the leaf hash as root and an empty proof', () => {
    const [leaf] = hashes(1);
    const batch = buildRecordTree([leaf]);
    expect(batch.root).toBe(recordLeafHash(leaf));
    expect(batch.proof(leaf)).toEqual([]);
  });

  it('recordLeafHash equals the library leaf hash (double keccak of abi.encode)', () => {
    const [leaf] = hashes(1);
    const tree = StandardMerkleTree.of([[leaf]], ['bytes32']);
    expect(recordLeafHash(leaf)).toBe(tree.leafHash([leaf]));
  });

  it('modified leaves or proofs fail', () => {
    const leaves = hashes(5);
    const batch = buildRecordTree(leaves);
    const proof = batch.proof(leaves[2]);
    expect(verifyRecordProof(batch.root, hashes(1)[0], proof)).toBe(false);
    expect(verifyRecordProof(batch.root, leaves[2], [hashes(1)[0], ...proof.slice(1)])).toBe(false);
    expect(verifyRecordProof(buildRecordTree(hashes(5)).root, leaves[2], proof)).toBe(false);
  });

  it('the dump reloads into the same tree', () => {
    const leaves = hashes(4);
    const batch = buildRecordTree(leaves);
    expect(StandardMerkleTree.load(batch.dump()).root).toBe(batch.root);
  });

  it('rejects empty batches, duplicates, malformed hashes and unknown leaves (case-insensitive match)', () => {
    const leaves = hashes(2);
    expect(() => buildRecordTree([])).toThrow(/at least one/);
    expect(() => buildRecordTree([leaves[0], leaves[0].toUpperCase().replace('0X', '0x')])).toThrow(/duplicate/);
    expect(() => buildRecordTree(['0x1234'])).toThrow(/32-byte/);
    const batch = buildRecordTree(leaves);
    expect(() => batch.proof(hashes(1)[0])).toThrow(/not in batch/);
    expect(batch.proof(leaves[1].toUpperCase().replace('0X', '0x'))).toEqual(batch.proof(leaves[1]));
  });
});
