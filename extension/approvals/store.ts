import { browser } from 'wxt/browser';
import { setBadgeCount } from '../background/badge';
import type { ApprovalKind, PermissionChoice } from '../../shared/protocol/ui/core';

/**
 * Pending approvals live in storage.session, not in worker memory: Chrome stops an idle service
 * worker after ~30 s, and a patient may take longer than that to read a consent screen.
 * storage.session is memory-only and cleared when the browser closes.
 *
 * Keyed by approval id. "One pending per site" and "one window at a time" are decided in
 * approvals.ts under one lock (check-then-set never spans an unlocked await).
 */
export type { ApprovalKind } from '../../shared/protocol/ui/core';
export type Decision = 'approved' | 'rejected';

export interface Outcome {
  decision: Decision;
  /** What the patient narrowed (permission requests only). */
  choice?: PermissionChoice;
  /** Record submissions: the entries the patient kept ticked (indices into what the site sent). */
  keep?: number[];
  /** Why it ended without the patient choosing (the tab went away): for the page's error message. */
  cancelled?: string;
}

export interface PendingApproval {
  approvalId: string;
  /** Request id chosen by the page; lets a re-sent request find its approval after a restart. */
  requestId: string;
  origin: string;
  kind: ApprovalKind;
  details: Record<string, unknown>;
  /**
   * What exactly the patient is shown, as a digest (record submissions): a request re-sent with the
   * same id must carry the same content to re-attach, so a decision is never applied to other records.
   */
  fingerprint?: string;
  createdAt: number;
  /** Set once its window is open; approvals wait (no window) while another one is on screen. */
  windowId?: number;
  outcome?: Outcome;
}

const PREFIX = 'approval:';
const key = (approvalId: string) => `${PREFIX}${approvalId}`;

export async function putPending(approval: PendingApproval): Promise<void> {
  await browser.storage.session.set({ [key(approval.approvalId)]: approval });
  await reportWaiting();
}

export async function removePending(approvalId: string): Promise<void> {
  await browser.storage.session.remove(key(approvalId));
  await reportWaiting();
}

/**
 * The toolbar badge counts requests waiting for the patient's answer (decided ones are only waiting to
 * be collected by their page). Reported after every change of the pending set, to the badge's one
 * owner (background/badge.ts), which adds what messaging counts.
 */
async function reportWaiting(): Promise<void> {
  const waiting = (await allPending()).filter((p) => !p.outcome).length;
  await setBadgeCount('approvals', waiting);
}

/** Every approval, oldest first. */
export async function allPending(): Promise<PendingApproval[]> {
  const all = await browser.storage.session.get(null);
  return Object.entries(all)
    .filter(([k]) => k.startsWith(PREFIX))
    .map(([, v]) => v as PendingApproval)
    .sort((a, b) => a.createdAt - b.createdAt);
}

export async function findByApprovalId(approvalId: string): Promise<PendingApproval | undefined> {
  const stored = await browser.storage.session.get(key(approvalId));
  return stored[key(approvalId)] as PendingApproval | undefined;
}

export async function findByWindowId(windowId: number): Promise<PendingApproval | undefined> {
  return (await allPending()).find((a) => a.windowId === windowId);
}

/** After a decline the site waits a while before it may ask again (no nagging the patient into a yes). */
export const DECLINE_COOLDOWN_MS = 30_000;
const cooldownKey = (origin: string) => `approvalCooldown:${origin}`;

export async function startCooldown(origin: string, now = Date.now()): Promise<void> {
  await browser.storage.session.set({ [cooldownKey(origin)]: now + DECLINE_COOLDOWN_MS });
}

export async function coolingDown(origin: string, now = Date.now()): Promise<boolean> {
  const stored = await browser.storage.session.get(cooldownKey(origin));
  const until = stored[cooldownKey(origin)] as number | undefined;
  return until !== undefined && until > now;
}
