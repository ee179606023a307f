import { browser } from 'wxt/browser';
import type { ApprovalKind } from '../../shared/protocol/ui/core';

/**
 * Pending approvals live in storage.session, not in worker memory: Chrome stops an idle service
 * worker after ~30 s, and a patient may take longer than that to read a consent screen.
 * storage.session is memory-only and cleared when the browser closes.
 *
 * Keyed by origin: one pending approval per site (a second request gets -32002).
 */
// The view types are declared with the requests they answer (shared/protocol/ui/core.ts).
export type { ApprovalKind } from '../../shared/protocol/ui/core';
export type Decision = 'approved' | 'rejected';

export interface PendingApproval {
  approvalId: string;
  /** Request id chosen by the page; lets a re-sent request find its approval after a restart. */
  requestId: string;
  origin: string;
  kind: ApprovalKind;
  details: Record<string, unknown>;
  createdAt: number;
  windowId?: number;
  decision?: Decision;
}

const key = (origin: string) => `approval:${origin}`;

export async function getPending(origin: string): Promise<PendingApproval | undefined> {
  const stored = await browser.storage.session.get(key(origin));
  return stored[key(origin)] as PendingApproval | undefined;
}

export async function putPending(approval: PendingApproval): Promise<void> {
  await browser.storage.session.set({ [key(approval.origin)]: approval });
}

export async function removePending(origin: string): Promise<void> {
  await browser.storage.session.remove(key(origin));
}

export async function allPending(): Promise<PendingApproval[]> {
  const all = await browser.storage.session.get(null);
  return Object.entries(all)
    .filter(([k]) => k.startsWith('approval:'))
    .map(([, v]) => v as PendingApproval);
}

export async function findByApprovalId(approvalId: string): Promise<PendingApproval | undefined> {
  return (await allPending()).find((a) => a.approvalId === approvalId);
}

export async function findByWindowId(windowId: number): Promise<PendingApproval | undefined> {
  return (await allPending()).find((a) => a.windowId === windowId);
}
