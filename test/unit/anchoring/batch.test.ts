import { describe, expect, it } from 'vitest';
import { anchorLeaf } from '../../../shared/anchoring/leaf';
import { verifyRecordProof } from '../../../shared/chain/merkle';
import { unbatched } from '../../../extension/anchoring/batcher';
import type { AnchorBatch } from '../../../extension/anchoring/store';
import { batchTree, paddedCount, paddingLeaves, treeOf } from '../../../extension/anchoring/tree';

const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const batch = (leaves: AnchorBatch['leaves'], state: AnchorBatch['state'] = 'anchored'): AnchorBatch => {
  const padding = paddingLeaves(paddedCount(leaves.length) - leaves.length);
  return {
    v: 1,
    id: crypto.randomUUID(),
    account: `0x${'11'.repeat(20)}`,
    chainId: 31337,
    contract: `0x${'22'.repeat(20)}`,
    leaves,
    padding,
    root: treeOf(leaves, padding).root,
    count: paddedCount(leaves.length),
    state,
    createdAt: 0,
  };
};

describe('padding: the chain learns a power of two, at least 8', () => {
  it.each([
    [1, 8],
    [5, 8],
    [8, 8],
    [9, 16],
    [1000, 1024],
    [1025, 2048],
  ])('%i records → count %i', (n, padded) => expect(paddedCount(n)).toBe(padded));

  it('padding leaves are fresh random bytes32 values', () => {
    const pad = paddingLeaves(4);
    expect(new Set(pad).size).toBe(4);
    for (const p of pad) expect(p).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe('a batch row rebuilds its tree and every proof', () => {
  it('proofs of every record verify against the stored root; padding changes the root', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => ({ r: `rec-${i}`, v: 1, h: h(i + 1) }));
    const b = batch(leaves);
    const tree = batchTree(b);
    expect(tree.count).toBe(8);
    for (const l of leaves) {
      const leaf = anchorLeaf({ recordId: l.r, version: l.v, contentHash: l.h });
      expect(verifyRecordProof(b.root, leaf, tree.proof(leaf))).toBe(true);
    }
    expect(treeOf(leaves, paddingLeaves(3)).root).not.toBe(b.root);
    // The same values in another order give the same root (rebuilt from a restored row).
    expect(treeOf([...leaves].reverse(), [...b.padding].reverse()).root).toBe(b.root);
  });

  it('a row whose leaves were rewritten does not rebuild its root', () => {
    const b = batch([{ r: 'a', v: 1, h: h(1) }]);
    expect(() => batchTree({ ...b, id: crypto.randomUUID(), leaves: [{ r: 'a', v: 1, h: h(2) }] })).toThrow(/does not rebuild/);
  });
});

describe('which record versions go into the next batch', () => {
  const held = (entries: Array<[string, number, string]>) => new Map(entries.map(([r, version, contentHash]) => [r, { version, contentHash }]));

  it('only versions no batch names (waiting or anchored)', () => {
    const batches = [batch([{ r: 'a', v: 1, h: h(1) }]), batch([{ r: 'b', v: 1, h: h(2) }], 'waiting')];
    expect(unbatched(held([['a', 1, h(1)], ['b', 1, h(2)], ['c', 1, h(3)]]), batches)).toEqual([{ r: 'c', v: 1, h: h(3) }]);
  });

  it('a new version of an anchored record is anchored', () => {
    const batches = [batch([{ r: 'a', v: 1, h: h(1) }])];
    expect(unbatched(held([['a', 2, h(9)]]), batches)).toEqual([{ r: 'a', v: 2, h: h(9) }]);
  });

  it('a re-sealed version (same id and version, other bytes) is never anchored again', () => {
    const batches = [batch([{ r: 'a', v: 1, h: h(1) }])];
    expect(unbatched(held([['a', 1, h(7)]]), batches)).toEqual([]);
  });

  it('an older version than one already anchored (a rollback) is not anchored', () => {
    const batches = [batch([{ r: 'a', v: 2, h: h(2) }])];
    expect(unbatched(held([['a', 1, h(1)]]), batches)).toEqual([]);
  });
});
