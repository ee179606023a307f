import { relayerStatus, submitToRelayer, type RelayError, type RelayStatus } from '../../shared/chain/relayer';
import type { Identity } from '../../shared/crypto/identity';
import { UiError } from '../../shared/protocol/ui-errors';
import type { Settings } from '../../shared/settings/schema';
import { forgetChainReads, latestBlockTime, receiptOf, type Inclusion } from '../chain/reads';
import { nextRetryAt, pollDelayMs } from './backoff';
import { ACTION_KINDS, type ActionKindSpec } from './kinds';
import type { QueuedAction } from './store';

/**
 * One step of one action's life: pending → submitted(requestId) → confirmed(txHash, block) | failed.
 * Pure with respect to storage (the caller saves what it returns); talks to the chain (reads, through
 * extension/chain/) and to the relayer (shared/chain/relayer.ts). What happens when:
 * - pending: sign if not signed or the signature is about to expire by block time (same nonce), then
 *   POST. Accepted → submitted. Relayer or chain down, a limit, a 5xx → stays pending with the reason,
 *   retried with backoff. A refusal → did it land already (NonceAlreadyUsed, StaleKey)? → confirmed;
 *   expired → re-signed; otherwise failed with the relayer's words.
 * - submitted: ask the relayer. Confirmed → checked on the chain (receipt, status 1) → confirmed.
 *   Still pending → polled again. Relayer down → polled again later. The relayer forgot the id (404)
 *   or gave up retryably → pending again (the same body is sent again). A confirmation the chain does
 *   not know (a restarted chain) → signed afresh and sent again.
 */
export interface StepContext {
  identity: Identity;
  settings: Settings;
  now?: () => number;
}

/** Re-sign when less than this is left of the signature's validity (block time). */
const RESIGN_MARGIN_SECONDS = 60n;
/** A relayer that does not answer within this is treated as down. */
const RELAYER_TIMEOUT_MS = 10_000;
const fetchWithTimeout = (url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(RELAYER_TIMEOUT_MS) });
/** Contract errors that can mean "this very action already went through". */
const MAYBE_LANDED = new Set(['NonceAlreadyUsed', 'StaleKey', 'AlreadyAnchored', 'StaleEpoch', 'NoGrant']);
/**
 * Signed against a state that has changed (the deadline passed by block time, or the consent pair's
 * epoch moved: another grant or revoke of the pair landed first): signed again, same nonce.
 */
const RESIGN = new Set(['SignatureExpired', 'StaleEpoch']);

export async function step(action: QueuedAction, ctx: StepContext): Promise<QueuedAction> {
  const spec = ACTION_KINDS[action.kind];
  const now = ctx.now ?? Date.now;
  const { settings } = ctx;
  if (settings.chainId !== action.chainId || settings.contracts[spec.contract].toLowerCase() !== action.contract.toLowerCase()) {
    return failed(action, now(), `SecureMed now uses another network (chain ${settings.chainId}); this action was signed for chain ${action.chainId} and was not sent there. Retry sends it on the current network.`);
  }
  return action.state === 'submitted' ? poll(action, spec, ctx, now) : submit(action, spec, ctx, now);
}

async function submit(a: QueuedAction, spec: ActionKindSpec, ctx: StepContext, now: () => number): Promise<QueuedAction> {
  let action = a;
  try {
    const blockTime = await latestBlockTime();
    if (!action.request || !action.deadline || BigInt(action.deadline) - blockTime < RESIGN_MARGIN_SECONDS) {
      const { request, deadline } = await spec.sign(action, ctx.identity);
      action = { ...action, request, deadline: deadline.toString() };
    }
  } catch (error) {
    if (error instanceof UiError && error.code === 'unavailable') return waiting(action, now(), error.message);
    throw error;
  }
  const relayerUrl = ctx.settings.relayerUrl;
  const r = await submitToRelayer(relayerUrl, action.request!, fetchWithTimeout);
  action = { ...action, attempts: action.attempts + 1 };
  if (r.ok) return accepted(action, spec, relayerUrl, r.request, now);
  if (r.retryable) return waiting(action, now(), relayerWords(relayerUrl, r.error), r.error.retryAfterSeconds);
  return refused(action, spec, now, r.error.message, r.error.revert);
}

/** The relayer took it (202), or already had this very signature (200, any status). */
async function accepted(a: QueuedAction, spec: ActionKindSpec, relayerUrl: string, s: RelayStatus, now: () => number): Promise<QueuedAction> {
  const action: QueuedAction = { ...a, state: 'submitted', relayerUrl, requestId: s.id, failures: 0, polls: 0, reason: undefined, error: undefined };
  return followStatus(action, spec, s, now);
}

async function poll(a: QueuedAction, spec: ActionKindSpec, ctx: StepContext, now: () => number): Promise<QueuedAction> {
  const relayerUrl = a.relayerUrl ?? ctx.settings.relayerUrl;
  if (!a.requestId) return { ...a, state: 'pending', nextAttemptAt: now() };
  const r = await relayerStatus(relayerUrl, a.requestId, fetchWithTimeout);
  const action = { ...a, polls: a.polls + 1 };
  if (r.ok) return followStatus(action, spec, r.request, now);
  if (r.httpStatus === 404) {
    // Restarted without its data file: the same body again (nothing is paid twice for one signature).
    return { ...action, state: 'pending', requestId: undefined, reason: 'The relayer no longer knows this action; sending it again.', nextAttemptAt: now() };
  }
  const failures = action.failures + 1;
  return { ...action, failures, reason: relayerWords(relayerUrl, r.error), nextAttemptAt: nextRetryAt(now(), failures, r.error.retryAfterSeconds) };
}

async function followStatus(a: QueuedAction, spec: ActionKindSpec, s: RelayStatus, now: () => number): Promise<QueuedAction> {
  const action = { ...a, ...(s.txHash ? { txHash: s.txHash } : {}) };
  if (s.status === 'pending') {
    return { ...action, reason: s.reason, nextAttemptAt: now() + pollDelayMs(action.polls + 1) };
  }
  if (s.status === 'failed') {
    if (s.retryable) {
      const failures = action.failures + 1;
      return { ...action, state: 'pending', requestId: undefined, txHash: undefined, failures, reason: s.reason, nextAttemptAt: nextRetryAt(now(), failures) };
    }
    return refused(action, spec, now, s.reason ?? 'The relayer could not submit this action.', s.error);
  }
  // Confirmed by the relayer: believe the chain, not the relayer.
  let receipt: Inclusion | undefined;
  try {
    receipt = s.txHash ? await receiptOf(s.txHash) : undefined;
  } catch (error) {
    if (error instanceof UiError) return waiting(action, now(), `Confirmed by the relayer; checking it on the chain. ${error.message}`, undefined, 'submitted');
    throw error;
  }
  if (!receipt) {
    // The chain does not know that transaction (e.g. a restarted local chain): sign afresh and send again.
    return { ...action, state: 'pending', request: undefined, requestId: undefined, txHash: undefined, reason: 'The chain does not know the transaction the relayer reported; sending the action again.', nextAttemptAt: now() };
  }
  if (!receipt.success) return failed(action, now(), 'The transaction was reverted on chain.');
  return confirmed(action, receipt, now());
}

/** The relayer (or the contract, through its simulation) refused the action as it is. */
async function refused(a: QueuedAction, spec: ActionKindSpec, now: () => number, message: string, revert?: string): Promise<QueuedAction> {
  if (revert && MAYBE_LANDED.has(revert)) {
    try {
      const landed = await spec.landed(a);
      if (landed) return confirmed(a, landed, now());
    } catch (error) {
      if (error instanceof UiError) return waiting(a, now(), error.message);
      throw error;
    }
  }
  if (revert && RESIGN.has(revert)) {
    // Sign again (same nonce) at the next attempt, against the chain as it is then.
    const failures = a.failures + 1;
    const reason = revert === 'SignatureExpired' ? 'The signature expired before it was sent; signing it again.' : 'Something changed on the network since this was signed; signing it again.';
    return { ...a, state: 'pending', request: undefined, deadline: undefined, requestId: undefined, failures, reason, nextAttemptAt: nextRetryAt(now(), failures) };
  }
  return { ...failed(a, now(), message), ...(revert ? { error: revert } : {}) };
}

function waiting(a: QueuedAction, at: number, reason: string, retryAfterSeconds?: number, state: QueuedAction['state'] = 'pending'): QueuedAction {
  const failures = a.failures + 1;
  return { ...a, state, failures, reason, nextAttemptAt: nextRetryAt(at, failures, retryAfterSeconds) };
}

function failed(a: QueuedAction, at: number, reason: string): QueuedAction {
  return { ...a, state: 'failed', reason, nextAttemptAt: at, updatedAt: at };
}

function confirmed(a: QueuedAction, inclusion: Inclusion, at: number): QueuedAction {
  forgetChainReads();
  return { ...a, state: 'confirmed', txHash: inclusion.txHash, blockNumber: inclusion.blockNumber, reason: undefined, error: undefined, nextAttemptAt: at, updatedAt: at };
}

function relayerWords(url: string, error: RelayError): string {
  if (error.code === 'unreachable') return `The relayer at ${url} could not be reached. SecureMed will try again.`;
  return error.message;
}
