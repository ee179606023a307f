import { browser } from 'wxt/browser';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { PermissionChoice } from '../../shared/protocol/ui/core';
import { UiError } from '../../shared/protocol/ui-errors';
import { isBlocked } from './blocked';
import {
  type ApprovalKind,
  type Decision,
  type Outcome,
  type PendingApproval,
  allPending,
  coolingDown,
  findByApprovalId,
  findByWindowId,
  putPending,
  removePending,
  startCooldown,
} from './store';

/**
 * Asking the patient: one approval window at a time for the whole browser, one pending request per
 * site, a cooldown after a decline, and every page promise settles (README in this folder).
 *
 * Atomicity: every read-decide-write of the pending set runs inside `locked()`, one promise chain per
 * worker, so 20 calls in one tick see each other (the first opens a window, the rest get -32002).
 * Worker restarts: the bridge re-sends the same request id; `requestApproval` re-attaches to the
 * stored approval instead of opening a second window. A decision made while no one was waiting is
 * stored and handed to the next waiter.
 */
const waiters = new Map<string, Array<(outcome: Outcome) => void>>();
const APPROVAL_WINDOW = { width: 440, height: 680 } as const;

let tail: Promise<unknown> = Promise.resolve();
function locked<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}

/**
 * A digest of a request's parsed params, passed as `fingerprint`: a request re-sent with the same id
 * (after a worker restart) re-attaches to the waiting window only if it asks for exactly the same thing.
 */
export async function fingerprintOf(params: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(params) ?? '');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function requestApproval(
  origin: string,
  requestId: string,
  kind: ApprovalKind,
  details: Record<string, unknown>,
  opts: { fingerprint?: string } = {},
): Promise<Outcome> {
  const pending = await locked(async () => {
    const mine = (await allPending()).filter((p) => p.origin === origin);
    const same = mine.find((p) => p.requestId === requestId);
    // Re-sent after a worker restart: re-attach, but only to the very request the window shows. The
    // page picks request ids, so another tab of the site could reuse one with other content.
    if (same && same.kind === kind && same.fingerprint === opts.fingerprint) return same;
    if (same) throw new ProviderRpcError(ProviderErrorCode.requestPending, 'A different request with this id is already waiting for the patient');
    for (const other of mine) {
      if (other.outcome) continue; // decided, waiting to be collected
      if (other.windowId !== undefined && !(await windowStillOpen(other.windowId))) {
        // Its window went away while the worker was stopped: that is a rejection, not a hang.
        await record(other, { decision: 'rejected' });
        continue;
      }
      throw new ProviderRpcError(ProviderErrorCode.requestPending, 'A request from this site is already waiting for the patient');
    }
    if (await isBlocked(origin)) {
      throw new ProviderRpcError(ProviderErrorCode.userRejected, 'The patient declined the request');
    }
    if (await coolingDown(origin)) {
      throw new ProviderRpcError(ProviderErrorCode.userRejected, 'The patient declined a request from this site a moment ago; ask again later');
    }
    const created: PendingApproval = { approvalId: crypto.randomUUID(), requestId, origin, kind, details, ...(opts.fingerprint ? { fingerprint: opts.fingerprint } : {}), createdAt: Date.now() };
    await putPending(created);
    return created;
  });
  void pump();
  const outcome = await waitForDecision(pending.approvalId);
  await removePending(pending.approvalId);
  void pump();
  return outcome;
}

/** Open the next waiting approval's window when none is on screen (the global queue). */
export function pump(): Promise<void> {
  return locked(async () => {
    const all = await allPending();
    for (const p of all) {
      if (p.outcome || p.windowId === undefined) continue;
      if (await windowStillOpen(p.windowId)) return; // one window at a time
      await record(p, { decision: 'rejected' });
    }
    const next = all.find((p) => !p.outcome && p.windowId === undefined);
    if (!next) return;
    const win = await browser.windows.create({
      url: browser.runtime.getURL(`/approve.html#${next.approvalId}`),
      type: 'popup',
      focused: true,
      ...APPROVAL_WINDOW,
    });
    await putPending({ ...next, windowId: win?.id ?? -1 });
  });
}

/** Called by the approval window (trusted extension page) with the patient's choice. */
export async function decide(approvalId: string, decision: Decision, choice?: PermissionChoice, keep?: number[]): Promise<void> {
  const pending = await locked(async () => {
    const found = await findByApprovalId(approvalId);
    if (!found || found.outcome) throw new UiError('not_found', 'This request is no longer waiting for you.');
    await record(found, decision === 'approved' ? { decision, ...(choice ? { choice } : {}), ...(keep ? { keep: [...new Set(keep)].sort((a, b) => a - b) } : {}) } : { decision: 'rejected' });
    return found;
  });
  if (pending.windowId !== undefined && pending.windowId >= 0) await browser.windows.remove(pending.windowId).catch(() => undefined);
}

export async function approvalForWindow(approvalId: string): Promise<PendingApproval> {
  const pending = await findByApprovalId(approvalId);
  if (!pending || pending.outcome) throw new UiError('not_found', 'This request is no longer waiting for you.');
  return pending;
}

/** Closing the window without choosing is a rejection (4001 for the page). */
export function watchApprovalWindows(): void {
  browser.windows.onRemoved.addListener((windowId) => {
    void locked(async () => {
      const pending = await findByWindowId(windowId);
      if (pending && !pending.outcome) await record(pending, { decision: 'rejected' });
    }).then(() => pump());
  });
}

/**
 * The requesting tab closed or navigated (its page port went away): its approvals are cancelled and
 * their windows closed. No cooldown: the patient did not decline.
 */
export async function cancelApprovals(origin: string, requestIds: readonly string[]): Promise<void> {
  if (requestIds.length === 0) return;
  const cancelled = await locked(async () => {
    const hit = (await allPending()).filter((p) => p.origin === origin && requestIds.includes(p.requestId) && !p.outcome);
    for (const p of hit) await record(p, { decision: 'rejected', cancelled: 'The page that asked went away' });
    return hit;
  });
  for (const p of cancelled) {
    if (p.windowId !== undefined && p.windowId >= 0) await browser.windows.remove(p.windowId).catch(() => undefined);
    else await removePending(p.approvalId);
  }
  void pump();
}

/** Store the outcome (inside `locked`), start the cooldown on a decline, and wake the waiters. */
async function record(pending: PendingApproval, outcome: Outcome): Promise<void> {
  pending.outcome = outcome;
  await putPending(pending);
  if (outcome.decision === 'rejected' && !outcome.cancelled) await startCooldown(pending.origin);
  settle(pending.approvalId, outcome);
}

async function waitForDecision(approvalId: string): Promise<Outcome> {
  const decided = new Promise<Outcome>((resolve) => {
    waiters.set(approvalId, [...(waiters.get(approvalId) ?? []), resolve]);
  });
  // A decision may have landed before the waiter was registered (or in an earlier worker).
  const latest = await findByApprovalId(approvalId);
  if (!latest) settle(approvalId, { decision: 'rejected', cancelled: 'The request is gone' });
  else if (latest.outcome) settle(approvalId, latest.outcome);
  return decided;
}

function settle(approvalId: string, outcome: Outcome): void {
  const list = waiters.get(approvalId) ?? [];
  waiters.delete(approvalId);
  for (const resolve of list) resolve(outcome);
}

async function windowStillOpen(windowId: number): Promise<boolean> {
  if (windowId < 0) return false;
  try {
    await browser.windows.get(windowId);
    return true;
  } catch {
    return false;
  }
}
