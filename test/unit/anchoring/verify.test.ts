import { beforeEach, describe, expect, it, vi } from 'vitest';
import { contentHash } from '../../../shared/crypto/record-envelope';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';

// Verify's verdicts over the real vault database (fake-indexeddb) and real trees; the chain is a map of
// anchored roots (the integration with a real chain and relayer is test/e2e/anchoring.test.ts).
const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => ({ seed, identity: deriveIdentity(seed) }), UNLOCKED_SEED_KEY: 'unlockedSeed' }));
const chain = new Map<string, number>(); // root → block time
const extra: Array<{ root: string; blockNumber: number; blockTime: number; count: number }> = [];
vi.mock('../../../extension/anchoring/chain', async () => {
  const { verifyRecordProof } = await import('../../../shared/chain/merkle');
  return {
    anchoredAt: async (_account: string, root: string) => (chain.has(root) ? { anchorer: _account, blockTime: chain.get(root)! } : undefined),
    // The contract recomputes the root from the proof; here: try every anchored root.
    verifyOnChain: async (account: string, leaf: string, proof: string[]) => {
      for (const [root, blockTime] of chain) if (verifyRecordProof(root, leaf, proof)) return { anchorer: account, blockTime };
      return undefined;
    },
    anchorsOf: async () => [...[...chain].map(([root, blockTime], i) => ({ root, anchorer: '', count: 8, txHash: '', blockNumber: i + 1, blockTime })), ...extra.map((e) => ({ ...e, anchorer: '', txHash: '' }))],
    findAnchoring: async () => undefined,
  };
});

const { vaultDb } = await import('../../../extension/records/db');
const { verifyRecord, missingBatches } = await import('../../../extension/anchoring/verify');
const { anchoredButGone } = await import('../../../extension/anchoring/verify-all');
const { paddedCount, paddingLeaves, treeOf } = await import('../../../extension/anchoring/tree');
type AnchorBatch = import('../../../extension/anchoring/store').AnchorBatch;

const account = `0x${'11'.repeat(20)}`;
function batch(leaves: AnchorBatch['leaves'], opts: { state?: AnchorBatch['state']; onChain?: boolean; at?: number } = {}): AnchorBatch {
  const padding = paddingLeaves(paddedCount(leaves.length) - leaves.length);
  const root = treeOf(leaves, padding).root;
  const state = opts.state ?? 'anchored';
  if (state === 'anchored' && opts.onChain !== false) chain.set(root, opts.at ?? 1_800_000_000);
  return { v: 1, id: crypto.randomUUID(), account, chainId: 31337, contract: `0x${'22'.repeat(20)}`, leaves, padding, root, count: paddedCount(leaves.length), state, ...(state === 'anchored' ? { blockNumber: 7, blockTime: opts.at ?? 1_800_000_000 } : {}), createdAt: 0 };
}
async function putRow(id: string, version: number, fill: number) {
  const envelope = new Uint8Array(64).fill(fill);
  await vaultDb().records.put({ id, envelope, wrappedDek: new Uint8Array(60), contentHash: contentHash(envelope), dedupKey: `${id}-${version}-${fill}`, version });
  return { r: id, v: version, h: contentHash(envelope) };
}

beforeEach(async () => {
  chain.clear();
  extra.length = 0;
  await vaultDb().records.clear();
});

describe('Verify verdicts', () => {
  it('unchanged: the stored bytes are the anchored ones, the chain confirms the root', async () => {
    const leaf = await putRow('a', 1, 1);
    const b = batch([leaf, await putRow('b', 1, 2)], { at: 1_800_000_123 });
    expect(await verifyRecord('a', { account, batches: [b] })).toEqual({ state: 'unchanged', blockTime: 1_800_000_123, blockNumber: 7 });
    // Verify all's path: proof here, the root once on chain.
    expect(await verifyRecord('a', { account, batches: [b], rootTime: new Map() })).toMatchObject({ state: 'unchanged' });
  });

  it('changed: same id and version, other bytes — even when the row carries a matching hash field', async () => {
    const leaf = await putRow('a', 1, 1);
    const b = batch([leaf]);
    await putRow('a', 1, 9); // re-sealed: new bytes and a consistent new hash field
    expect(await verifyRecord('a', { account, batches: [b] })).toMatchObject({ state: 'changed', blockNumber: 7 });
    expect(await verifyRecord('a', { account, batches: [b], rootTime: new Map() })).toMatchObject({ state: 'changed' });
  });

  it('the leaf comes from the stored bytes, not the row hash field', async () => {
    const leaf = await putRow('a', 1, 1);
    const b = batch([leaf]);
    const row = (await vaultDb().records.get('a'))!;
    await vaultDb().records.put({ ...row, envelope: new Uint8Array(64).fill(5) }); // hash field left as anchored
    expect((await verifyRecord('a', { account, batches: [b] })).state).toBe('changed');
  });

  it('rolled back: a newer version of the id was anchored', async () => {
    const v1 = await putRow('a', 1, 1);
    const first = batch([v1], { at: 1_800_000_000 });
    const v2 = await putRow('a', 2, 2);
    const second = batch([v2], { at: 1_800_000_500 });
    await putRow('a', 1, 1); // the old version is back
    expect(await verifyRecord('a', { account, batches: [first, second] })).toEqual({ state: 'rolled_back', version: 1, anchoredVersion: 2, blockTime: 1_800_000_500, blockNumber: 7 });
  });

  it('not on chain: the vault remembers an anchoring the chain does not have', async () => {
    const b = batch([await putRow('a', 1, 1)], { onChain: false });
    expect((await verifyRecord('a', { account, batches: [b] })).state).toBe('not_on_chain');
  });

  it('waiting and not anchored yet', async () => {
    const b = batch([await putRow('a', 1, 1)], { state: 'waiting' });
    await putRow('b', 1, 2);
    expect((await verifyRecord('a', { account, batches: [b] })).state).toBe('waiting');
    expect((await verifyRecord('b', { account, batches: [b] })).state).toBe('not_anchored');
  });

  it('missing batches: Anchored events of the account that no batch row knows', async () => {
    const b = batch([await putRow('a', 1, 1)]);
    extra.push({ root: `0x${'ab'.repeat(32)}`, blockNumber: 42, blockTime: 1_800_009_999, count: 16 });
    expect(await missingBatches([b])).toEqual([{ blockNumber: 42, blockTime: 1_800_009_999, count: 16 }]);
    expect(await missingBatches([])).toHaveLength(2);
  });
});

describe('anchored records no longer in the vault (a deletion is no leaf: the batch rows tell)', () => {
  it('names each anchored id the records table lacks, once, at its newest anchored version; waiting batches and held records are not gone', async () => {
    const a1 = await putRow('a', 1, 1);
    const b1 = await putRow('b', 1, 2);
    const c1 = await putRow('c', 1, 3);
    const first = batch([a1, b1, c1], { at: 1_800_000_000 });
    const b2 = await putRow('b', 2, 4);
    const second = batch([b2], { at: 1_800_000_500 });
    const d1 = await putRow('d', 1, 5);
    const waiting = batch([d1], { state: 'waiting' });
    expect(await anchoredButGone([first, second, waiting], () => undefined)).toEqual([]);

    await vaultDb().records.bulkDelete(['b', 'c', 'd']); // removed outside SecureMed
    const gone = await anchoredButGone([first, second, waiting], (id) => (id === 'c' ? 'Glucose' : undefined));
    expect(gone.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'b', version: 2, blockTime: 1_800_000_500, blockNumber: 7 },
      { id: 'c', version: 1, title: 'Glucose', blockTime: 1_800_000_000, blockNumber: 7 },
    ]);
  });
});
