import { browser } from 'wxt/browser';
import type { ChainActionKind, ChainActionView } from '../../shared/protocol/ui/chain';
import { UiError } from '../../shared/protocol/ui-errors';
import { unlocked } from '../keys/unlocked';
import { logError } from '../logging/log';
import { readSettings } from '../settings/store';
import { ACTION_KINDS } from './kinds';
import { step } from './process';
import { randomNonce } from './signing';
import { deleteAction, loadAction, loadActions, saveAction, type QueuedAction } from './store';
import { coalescedRun } from '../background/coalesced-run';

/**
 * The patient's one queue of signed actions (README.md). Every change to it runs through one chain of
 * promises per worker, so a run, a new action and a retry never interleave on the same row. What
 * drives it: an immediate attempt when an action is queued or retried, on unlock and on worker start;
 * a timer while the worker lives; and one chrome.alarms alarm at the next action's time, which wakes a
 * stopped worker (a setTimeout does not survive a worker stop).
 */
export const TX_QUEUE_ALARM = 'securemed-tx-queue';
/** Longest a live-worker timer waits; the alarm covers the rest. */
const MAX_TIMER_MS = 60_000;

let tail: Promise<unknown> = Promise.resolve();
let timer: ReturnType<typeof setTimeout> | undefined;
/** Actions on the network right now (their row may not say so yet): never discarded. */
const stepping = new Set<string>();

/** Row writes (a run's result, a new action, a retry) one at a time; network calls stay outside. */
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}

const unfinished = (a: QueuedAction) => a.state === 'pending' || a.state === 'submitted';
/** Waiting for the action it must follow (`after`) to settle. */
const blocked = (a: QueuedAction, all: readonly QueuedAction[]) => !!a.after && all.some((b) => b.id === a.after && unfinished(b));

/**
 * Who wants to hear when an action's row changes (the consent manager follows its grants and revokes
 * this way). Called after the row is saved, with the saved row; a listener's failure is logged, never
 * the queue's problem. Listeners live in worker memory: each worker start registers them again, and
 * a listener must also catch up from the rows themselves (a worker may stop between save and call).
 */
type ActionListener = (action: QueuedAction) => void | Promise<void>;
const listeners = new Set<ActionListener>();
export function onActionChanged(listener: ActionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function changed(action: QueuedAction): void {
  for (const listener of listeners) {
    void Promise.resolve()
      .then(() => listener(action))
      .catch((error: unknown) => logError('tx-queue', 'an action listener', error));
  }
}

/** Process every action that is due. One run at a time; a call during a run makes it go round once more. Never throws. */
export const runQueue: () => Promise<void> = coalescedRun('tx-queue', 'queue run', runDue);

async function runDue(): Promise<void> {
  const state = await unlocked();
  if (!state) return stopTimer(); // rows open only while unlocked; unlocking runs the queue again
  const settings = await readSettings();
  const actions = await loadActions();
  for (const [i, action] of actions.entries()) {
    if (!unfinished(action) || action.nextAttemptAt > Date.now() || blocked(action, actions)) continue;
    // Claimed under the row lock: an action discarded (or retried) meanwhile is not sent.
    const claimed = await serial(async () => {
      const current = await loadAction(action.id);
      if (current?.updatedAt !== action.updatedAt) return false;
      stepping.add(action.id);
      return true;
    });
    if (!claimed) continue;
    let next: QueuedAction;
    try {
      next = await step(action, { identity: state.identity, settings });
    } catch (error) {
      if (error instanceof UiError && error.code === 'locked') throw error;
      logError('tx-queue', `step of a ${action.kind} action`, error);
      next = { ...action, state: 'failed', reason: 'Something went wrong while sending this action. Retry to try again.' };
    } finally {
      stepping.delete(action.id);
    }
    next = { ...next, updatedAt: Date.now() };
    // Saved only if nobody changed the row while we were on the network (a retry, say).
    const saved = await serial(async () => {
      const current = await loadAction(action.id);
      if (current?.updatedAt !== action.updatedAt) return current;
      await saveAction(next);
      return next;
    });
    if (saved) actions[i] = saved;
    if (saved === next) changed(next);
  }
  await schedule(actions);
}

/** One alarm at the earliest due time (cleared when nothing waits), and a timer while this worker lives. */
async function schedule(actions: readonly QueuedAction[]): Promise<void> {
  stopTimer();
  // A blocked action is due when the one it follows settles; that one's own time covers it.
  const due = actions.filter((a) => unfinished(a) && !blocked(a, actions)).map((a) => a.nextAttemptAt);
  if (due.length === 0) {
    await browser.alarms.clear(TX_QUEUE_ALARM);
    return;
  }
  const when = Math.max(Math.min(...due), Date.now() + 50);
  await browser.alarms.create(TX_QUEUE_ALARM, { when });
  timer = setTimeout(() => {
    timer = undefined;
    void runQueue();
  }, Math.min(when - Date.now(), MAX_TIMER_MS));
}

function stopTimer(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
}

async function requireUnlocked(what: string) {
  const state = await unlocked();
  if (!state) throw new UiError('locked', `Unlock your vault to ${what}.`);
  return state;
}

/** Queue an action (saved before anything is sent), then attempt it at once without waiting for that. */
export async function enqueue(kind: ChainActionKind, intent: QueuedAction['intent'], options: { after?: string } = {}): Promise<QueuedAction> {
  await requireUnlocked('sign actions');
  const action = await serial(async () => {
    const settings = await readSettings();
    const now = Date.now();
    const queued: QueuedAction = {
      v: 1,
      id: crypto.randomUUID(),
      kind,
      intent,
      chainId: settings.chainId,
      contract: settings.contracts[ACTION_KINDS[kind].contract],
      nonce: randomNonce().toString(),
      ...(options.after ? { after: options.after } : {}),
      state: 'pending',
      attempts: 0,
      failures: 0,
      polls: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await saveAction(queued);
    return queued;
  });
  changed(action);
  void runQueue();
  return action;
}

/**
 * Drop an action that never reached a relayer (pending, no submission tried): the patient changed
 * their mind before anything left this browser. Anything that may have been sent stays, and the
 * caller queues what undoes it instead. Returns whether it was dropped.
 */
export async function discard(id: string): Promise<boolean> {
  await requireUnlocked('change your signed actions');
  return serial(async () => {
    const found = await loadAction(id);
    if (!found || found.state !== 'pending' || found.attempts > 0 || stepping.has(id)) return false;
    await deleteAction(id);
    return true;
  });
}

/** One action (throws 'locked' while locked). */
export async function queuedAction(id: string): Promise<QueuedAction | undefined> {
  await requireUnlocked('see your signed actions');
  return loadAction(id);
}

/**
 * Try a failed action again, on the network SecureMed uses now, signed afresh. It keeps its nonce
 * unless the contract said that nonce is used (then it could never land).
 */
export async function retry(id: string): Promise<QueuedAction> {
  await requireUnlocked('retry');
  const action = await serial(async () => {
    const found = await loadAction(id);
    if (!found) throw new UiError('not_found', 'That action is no longer in the queue.');
    if (found.state !== 'failed') return found;
    const settings = await readSettings();
    const now = Date.now();
    const again: QueuedAction = {
      ...found,
      chainId: settings.chainId,
      contract: settings.contracts[ACTION_KINDS[found.kind].contract],
      nonce: found.error === 'NonceAlreadyUsed' ? randomNonce().toString() : found.nonce,
      state: 'pending',
      request: undefined,
      deadline: undefined,
      relayerUrl: undefined,
      requestId: undefined,
      txHash: undefined,
      blockNumber: undefined,
      reason: undefined,
      error: undefined,
      failures: 0,
      polls: 0,
      nextAttemptAt: now,
      updatedAt: now,
    };
    await saveAction(again);
    return again;
  });
  changed(action);
  void runQueue();
  return action;
}

/** Every action, newest first (throws 'locked' while locked: the rows are sealed). */
export async function queuedActions(): Promise<QueuedAction[]> {
  await requireUnlocked('see your signed actions');
  return (await loadActions()).reverse();
}

export function toView(a: QueuedAction): ChainActionView {
  return {
    id: a.id,
    kind: a.kind,
    title: ACTION_KINDS[a.kind].title,
    state: a.state,
    ...(a.requestId ? { requestId: a.requestId } : {}),
    ...(a.txHash ? { txHash: a.txHash } : {}),
    ...(a.blockNumber !== undefined ? { blockNumber: a.blockNumber } : {}),
    ...(a.reason ? { reason: a.reason } : {}),
    attempts: a.attempts,
    ...(unfinished(a) ? { nextAttemptAt: a.nextAttemptAt } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
