import { z } from 'zod';

/** Extension status and approval windows (extension/background/procedures/status.ts, approvals.ts). */
export const coreRequests = [
  z.strictObject({ type: z.literal('ui.status') }),
  /** Real input (a key, a click) in a visible, focused extension page: the only thing that postpones auto-lock. */
  z.strictObject({ type: z.literal('ui.activity') }),
  z.strictObject({ type: z.literal('ui.approval.get'), approvalId: z.string().uuid() }),
  z.strictObject({ type: z.literal('ui.approval.decide'), approvalId: z.string().uuid(), approve: z.boolean() }),
] as const;

/** The answer of requests that only do something. */
export interface Done {
  done: true;
}

export interface StatusView {
  version: string;
  /** When this worker instance started: lets people (and tests) see that a restart happened. */
  workerStartedAt: number;
  connectedSites: number;
}

export type ApprovalKind = 'connect';

/** What the approval window shows: the origin comes from the browser, never from the site's claims. */
export interface ApprovalView {
  origin: string;
  kind: ApprovalKind;
  details: Record<string, unknown>;
  createdAt: number;
}

/** What each request above answers (the background's procedures return exactly these). */
export interface CoreReplies {
  'ui.status': StatusView;
  'ui.activity': Done;
  'ui.approval.get': ApprovalView;
  'ui.approval.decide': Done;
}
