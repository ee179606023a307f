import { browser } from 'wxt/browser';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { UiError } from '../../shared/protocol/ui-errors';
import {
  type ApprovalKind,
  type Decision,
  type PendingApproval,
  findByApprovalId,
  findByWindowId,
  getPending,
  putPending,
  removePending,
} from './store';

/**
 * Asking the patient: open the approval window, wait for a decision, survive worker restarts.
 *
 * The page's promise is held by the bridge. If the worker dies, the bridge re-sends the same request
 * id; `requestApproval` then re-attaches to the stored approval instead of opening a second window.
 * A decision made while no one was waiting is stored and handed to the next waiter.
 */
const waiters = new Map<string, Array<(decision: Decision) => void>>();

const APPROVAL_WINDOW = { width: 420, height: 620 } as const;

export async function requestApproval(
  origin: string,
  requestId: string,
  kind: ApprovalKind,
  details: Record<string, unknown>,
): Promise<Decision> {
  let pending = await getPending(origin);
  if (pending && !pending.decision && !(await windowStillOpen(pending))) {
    // The window went away while the worker was stopped: that is a rejection, not a hang.
    pending.decision = 'rejected';
  }
  if (pending && pending.requestId === requestId) {
    // The bridge re-sent this request after a worker restart: re-attach, never open a second window.
    if (pending.decision) {
      await removePending(origin);
      return pending.decision;
    }
  } else if (pending) {
    if (!pending.decision) {
      throw new ProviderRpcError(ProviderErrorCode.requestPending, 'A request from this site is already waiting for the patient');
    }
    pending = undefined; // an earlier, settled request nobody collected: replace it
  }
  if (!pending) pending = await openApprovalWindow({ approvalId: crypto.randomUUID(), requestId, origin, kind, details, createdAt: Date.now() });
  const decision = await waitForDecision(pending.approvalId, origin);
  await removePending(origin);
  return decision;
}

/** Called by the approval window (trusted extension page) with the patient's choice. */
export async function decide(approvalId: string, decision: Decision): Promise<void> {
  const pending = await findByApprovalId(approvalId);
  if (!pending) throw new UiError('not_found', 'This request is no longer waiting for you.');
  pending.decision = decision;
  await putPending(pending);
  settle(pending, decision);
  if (pending.windowId !== undefined) {
    await browser.windows.remove(pending.windowId).catch(() => undefined);
  }
}

export async function approvalForWindow(approvalId: string): Promise<PendingApproval> {
  const pending = await findByApprovalId(approvalId);
  if (!pending || pending.decision) throw new UiError('not_found', 'This request is no longer waiting for you.');
  return pending;
}

/** Closing the window without choosing is a rejection (4001 for the page). */
export function watchApprovalWindows(): void {
  browser.windows.onRemoved.addListener(async (windowId) => {
    const pending = await findByWindowId(windowId);
    if (!pending || pending.decision) return;
    pending.decision = 'rejected';
    await putPending(pending);
    settle(pending, 'rejected');
  });
}

async function openApprovalWindow(pending: PendingApproval): Promise<PendingApproval> {
  await putPending(pending);
  const win = await browser.windows.create({
    url: browser.runtime.getURL(`/approve.html#${pending.approvalId}`),
    type: 'popup',
    focused: true,
    ...APPROVAL_WINDOW,
  });
  const opened = { ...pending, windowId: win?.id };
  await putPending(opened);
  return opened;
}

async function waitForDecision(approvalId: string, origin: string): Promise<Decision> {
  const decided = new Promise<Decision>((resolve) => {
    waiters.set(approvalId, [...(waiters.get(approvalId) ?? []), resolve]);
  });
  // A decision may have landed between reading storage and registering the waiter.
  const latest = await getPending(origin);
  if (latest?.approvalId === approvalId && latest.decision) settle(latest, latest.decision);
  return decided;
}

function settle(pending: PendingApproval, decision: Decision): void {
  const list = waiters.get(pending.approvalId) ?? [];
  waiters.delete(pending.approvalId);
  for (const resolve of list) resolve(decision);
}

async function windowStillOpen(pending: PendingApproval): Promise<boolean> {
  if (pending.decision || pending.windowId === undefined) return true;
  try {
    await browser.windows.get(pending.windowId);
    return true;
  } catch {
    return false;
  }
}
