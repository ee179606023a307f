import { UiError } from '../../shared/protocol/ui-errors';
import { unlocked } from '../keys/unlocked';
import { readSettings } from '../settings/store';
import { enqueue, queuedActions, retry } from '../tx-queue/queue';
import { loadAction } from '../tx-queue/store';
import { anchoringAccount } from './account';
import { AnchorIntent } from './anchor-kind';
import { anchoredAt, findAnchoring } from './chain';
import { heldRecords } from './records-scan';
import { loadBatches, MAX_BATCH_RECORDS, saveBatch, type AnchorBatch, type BatchLeaf } from './store';
import { paddedCount, paddingLeaves, treeOf } from './tree';
import { coalescedRun, isLocked } from '../background/coalesced-run';

/**
 * One anchoring pass (README.md): follow the waiting batch until the chain has its root, then put every
 * record version no batch holds yet into a new batch. The order of writes is what makes a worker stop
 * harmless: the batch row is saved before its action is queued, the action is found again by batch id,
 * and the contract refuses a second anchoring of one root (AlreadyAnchored → the queue's landed()).
 * One pass at a time per worker; a call during a pass makes it go round once more.
 */
/** A failed action is retried (re-signed, current network) at most this often. */
const FAILED_RETRY_MS = 60_000;
const lastRetry = new Map<string, number>();

export const runAnchoring: () => Promise<void> = coalescedRun('anchoring', 'anchoring pass', pass, (error) => isLocked(error) || (error instanceof UiError && error.code === 'unavailable'));

async function pass(): Promise<void> {
  if (!(await unlocked())) return;
  const batches = await loadBatches();
  const waiting = batches.filter((b) => b.state === 'waiting');
  for (const batch of waiting) await follow(batch);
  if (waiting.some((b) => b.state === 'waiting')) return; // one batch on its way at a time; new records wait for the next
  const next = await planBatch(batches);
  if (next) await follow(next);
}

/** Record versions the vault holds that no batch (waiting or anchored) names, oldest batches first. */
export function unbatched(held: Map<string, { version: number; contentHash: string }>, batches: readonly AnchorBatch[]): BatchLeaf[] {
  // A version some batch already names is never anchored again — not even with other bytes (that is
  // "changed after it was anchored", verify.ts), nor an older version than one already anchored. So a
  // held version is unbatched exactly when it is newer than every version a batch names for its id: one
  // number per id, no "id\nversion" string per leaf (this runs on every anchoring pass and every status
  // poll, over every record and leaf; the string keys made it ≈ 60–100 ms a call at 10,000 records).
  const newestNamed = new Map<string, number>();
  for (const b of batches) {
    for (const l of b.leaves) {
      const seen = newestNamed.get(l.r);
      if (seen === undefined || l.v > seen) newestNamed.set(l.r, l.v);
    }
  }
  const out: BatchLeaf[] = [];
  for (const [r, { version: v, contentHash: h }] of held) {
    const seen = newestNamed.get(r);
    if (seen === undefined || v > seen) out.push({ r, v, h });
  }
  return out;
}

async function planBatch(batches: readonly AnchorBatch[]): Promise<AnchorBatch | undefined> {
  const leaves = unbatched(await heldRecords(), batches).slice(0, MAX_BATCH_RECORDS);
  if (leaves.length === 0) return undefined;
  const [account, settings] = await Promise.all([anchoringAccount(), readSettings()]);
  const padding = paddingLeaves(paddedCount(leaves.length) - leaves.length);
  const tree = treeOf(leaves, padding);
  const batch: AnchorBatch = {
    v: 1,
    id: crypto.randomUUID(),
    account: account.address,
    chainId: settings.chainId,
    contract: settings.contracts.RecordAnchor,
    leaves,
    padding,
    root: tree.root.toLowerCase(),
    count: padding.length + leaves.length,
    state: 'waiting',
    createdAt: Date.now(),
  };
  await saveBatch(batch); // before anything is sent
  return batch;
}

/** Move a waiting batch on: queue its action (once), and mark it anchored when the chain has the root. */
async function follow(batch: AnchorBatch): Promise<void> {
  let action = batch.actionId ? await loadAction(batch.actionId) : undefined;
  if (!action) {
    // Stopped between saving the batch and noting its action, or the queue row is gone (a restored
    // backup carries batches, not the queue): the chain first, then the queue, then a new action.
    const onChain = await anchoredAt(batch.account, batch.root).catch(() => undefined);
    if (onChain) return markAnchored(batch, onChain.blockTime);
    action = (await queuedActions()).find((a) => a.kind === 'anchor' && AnchorIntent.safeParse(a.intent).data?.batchId === batch.id);
    if (!action) {
      const intent: AnchorIntent = { batchId: batch.id, account: batch.account, root: batch.root, count: batch.count };
      action = await enqueue('anchor', intent);
    }
    Object.assign(batch, { actionId: action.id });
    await saveBatch(batch);
  }
  if (action.state === 'confirmed') {
    const onChain = await anchoredAt(batch.account, batch.root);
    if (onChain) await markAnchored(batch, onChain.blockTime, action.txHash, action.blockNumber);
    return;
  }
  if (action.state === 'failed' && Date.now() - (lastRetry.get(action.id) ?? 0) > FAILED_RETRY_MS) {
    lastRetry.set(action.id, Date.now());
    await retry(action.id);
  }
}

async function markAnchored(batch: AnchorBatch, blockTime: number, txHash?: string, blockNumber?: number): Promise<void> {
  let inclusion = txHash && blockNumber !== undefined ? { txHash, blockNumber } : undefined;
  inclusion ??= await findAnchoring(batch.account, batch.root);
  Object.assign(batch, { state: 'anchored', blockTime, ...(inclusion ? { txHash: inclusion.txHash, blockNumber: inclusion.blockNumber } : {}) });
  await saveBatch(batch);
}
