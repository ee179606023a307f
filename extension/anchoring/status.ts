import type { AnchoringStatus } from '../../shared/protocol/ui/anchoring';
import { UiError } from '../../shared/protocol/ui-errors';
import { loadAction } from '../tx-queue/store';
import { anchoringAccount } from './account';
import { unbatched } from './batcher';
import { heldRecords } from './records-scan';
import { loadBatches } from './store';
import { missingBatches } from './verify';

/** The vault page's anchoring panel: counts, why records wait, the last batch, what the vault lacks. */
export async function anchoringStatus(): Promise<AnchoringStatus> {
  const [account, held, batches] = await Promise.all([anchoringAccount(), heldRecords(), loadBatches()]);
  const anchoredKeys = new Set<string>();
  const waitingKeys = new Set<string>();
  const newestAnchored = new Map<string, number>();
  for (const b of batches) {
    for (const l of b.leaves) {
      (b.state === 'anchored' ? anchoredKeys : waitingKeys).add(`${l.r}\n${l.v}\n${l.h}`);
      if (b.state === 'anchored') newestAnchored.set(l.r, Math.max(newestAnchored.get(l.r) ?? -1, l.v));
    }
  }
  let anchored = 0;
  let inBatch = 0;
  for (const [r, { version, contentHash }] of held) {
    const key = `${r}\n${version}\n${contentHash}`;
    // An older version than one anchored later (rolled back) is not counted as anchored: Verify flags it.
    if (anchoredKeys.has(key) && (newestAnchored.get(r) ?? -1) <= version) anchored++;
    else if (waitingKeys.has(key)) inBatch++;
  }
  const waiting = inBatch + unbatched(held, batches).length;

  let reason: string | undefined;
  const pending = batches.find((b) => b.state === 'waiting');
  if (pending?.actionId) {
    const action = await loadAction(pending.actionId);
    if (action?.state === 'failed') reason = `Not anchored: ${action.reason ?? 'the network refused it'} SecureMed tries again.`;
    else if (action?.reason) reason = action.reason;
    else if (action?.state === 'submitted') reason = 'Sent; waiting for the network to confirm it.';
  }
  const last = batches.filter((b) => b.state === 'anchored' && b.blockTime !== undefined).sort((a, b) => b.blockTime! - a.blockTime!)[0];

  let missing: Awaited<ReturnType<typeof missingBatches>> | undefined;
  let chainMessage: string | undefined;
  try {
    missing = await missingBatches(batches);
  } catch (error) {
    if (!(error instanceof UiError)) throw error;
    chainMessage = error.message;
  }
  return {
    account: account.address,
    anchored,
    waiting,
    ...(reason ? { reason } : {}),
    ...(last ? { lastBatch: { blockTime: last.blockTime!, ...(last.blockNumber !== undefined ? { blockNumber: last.blockNumber } : {}), count: last.count } } : {}),
    ...(missing?.length ? { missing } : {}),
    ...(chainMessage ? { chainMessage } : {}),
  };
}
