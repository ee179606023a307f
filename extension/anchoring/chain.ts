import type { Inclusion } from '../chain/reads';
import { chainContext, readChain, readContract } from '../chain/rpc';

/**
 * What anchoring asks the chain (views only; through extension/chain/rpc.ts, so an unreachable chain is
 * a UiError('unavailable') in words). The Anchored events of the vault's anchoring account are the
 * vault's anchoring history as the chain keeps it: an old backup or a stale replica cannot roll them back.
 */
export interface OnChainAnchor {
  root: string;
  anchorer: string;
  count: number;
  txHash: string;
  blockNumber: number;
  /** Block time, unix seconds. */
  blockTime: number;
}

/** anchorOf(account, root): block time of the anchoring, or undefined when never anchored. */
export async function anchoredAt(account: string, root: string): Promise<{ anchorer: string; blockTime: number } | undefined> {
  const [anchorer, at] = await readContract<[string, bigint]>('RecordAnchor', 'anchorOf', [account, root], 0);
  return at === 0n ? undefined : { anchorer, blockTime: Number(at) };
}

/** RecordAnchor.verify(account, leaf, proof): the chain itself recomputes the root from the proof. */
export async function verifyOnChain(account: string, leaf: string, proof: readonly string[]): Promise<{ anchorer: string; blockTime: number } | undefined> {
  const [anchorer, at] = await readContract<[string, bigint]>('RecordAnchor', 'verify', [account, leaf, proof], 0);
  return at === 0n ? undefined : { anchorer, blockTime: Number(at) };
}

/** Every Anchored event of `account` (all blocks: RPCs that cap log ranges need a paged scan, not done here). */
export async function anchorsOf(account: string): Promise<OnChainAnchor[]> {
  const anchor = (await chainContext()).contract('RecordAnchor');
  return readChain(`anchored:${account}`, 3_000, async (provider) => {
    const events = await anchor.queryFilter(anchor.filters.Anchored!(account), 0, 'latest');
    const times = new Map<number, number>();
    const out: OnChainAnchor[] = [];
    for (const e of events) {
      if (!('args' in e)) continue;
      if (!times.has(e.blockNumber)) times.set(e.blockNumber, (await provider.getBlock(e.blockNumber))!.timestamp);
      out.push({
        root: String(e.args[1]).toLowerCase(),
        anchorer: String(e.args[2]),
        count: Number(e.args[3]),
        txHash: e.transactionHash,
        blockNumber: e.blockNumber,
        blockTime: times.get(e.blockNumber)!,
      });
    }
    return out;
  });
}

/** The transaction that anchored `root` for `account`, if the chain has one (the queue's landed()). */
export async function findAnchoring(account: string, root: string): Promise<Inclusion | undefined> {
  const hit = (await anchorsOf(account)).find((a) => a.root === root.toLowerCase());
  return hit ? { txHash: hit.txHash, blockNumber: hit.blockNumber, success: true } : undefined;
}
