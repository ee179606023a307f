import { z } from 'zod';
import { Limits } from '../limits';
import type { SubmitReviewView } from './submit';

/** Extension status and approval windows (extension/background/procedures/status.ts, approvals.ts). */
export const coreRequests = [
  z.strictObject({ type: z.literal('ui.status') }),
  /** Real input (a key, a click) in a visible, focused extension page: the only thing that postpones auto-lock. */
  z.strictObject({ type: z.literal('ui.activity') }),
  /** The support log (errors SecureMed survived on purpose; never data), for the settings page. */
  z.strictObject({ type: z.literal('support.log') }),
  z.strictObject({ type: z.literal('support.clear') }),
  z.strictObject({ type: z.literal('ui.approval.get'), approvalId: z.string().uuid() }),
  z.strictObject({
    type: z.literal('ui.approval.decide'),
    approvalId: z.string().uuid(),
    approve: z.boolean(),
    /** Permission requests: what the patient kept (categories by name, a subset of the ask) and for how many days. */
    choice: z
      .strictObject({ categories: z.array(z.string().max(40)).max(32), durationDays: z.number().int().min(1).max(365) })
      .optional(),
    /** "Block this site": decline, and refuse this site's future requests without a window. */
    block: z.literal(true).optional(),
    /** Record submissions: the entries (indices into what the site sent) the patient kept ticked. */
    keep: z.array(z.number().int().min(0).max(Limits.submitEntries - 1)).max(Limits.submitEntries).optional(),
  }),
] as const;

/** The answer of requests that only do something. */
export interface Done {
  done: true;
}

/** One support-log line: where, what (a fixed description), the kind of error, how often, when last. */
export interface SupportLogEntry {
  at: number;
  area: string;
  what: string;
  kind: string;
  count: number;
}

export interface StatusView {
  version: string;
  /** When this worker instance started: lets people (and tests) see that a restart happened. */
  workerStartedAt: number;
  connectedSites: number;
}

export type ApprovalKind = 'connect' | 'permissions' | 'submit';

/** What the patient kept when approving a permission request (ui.approval.decide `choice`). */
export interface PermissionChoice {
  categories: string[];
  durationDays: number;
}

/** A grantee as the directory knows it: `unknown` when the chain could not be asked. */
export interface GranteeView {
  address: string;
  directory: 'verified' | 'unverified' | 'unknown';
  /** Unix seconds, when an attestation exists. */
  licenceExpiresAt?: number;
}

/** One category a site asks for, in the patient's words (shared/protocol/categories.ts). */
export interface CategoryAsk {
  name: string;
  label: string;
  sensitive: boolean;
}

/** A permission request as the approval window shows it: nothing here is shown raw. */
export interface PermissionAskView {
  grantee: GranteeView;
  categories: CategoryAsk[];
  /** Write access asked (adding records for the patient). */
  write: boolean;
  purpose: { code: string; words: string };
  durationDays: number;
}

/** What the approval window shows: the origin comes from the browser, never from the site's claims. */
export interface ApprovalView {
  origin: string;
  kind: ApprovalKind;
  /** kind 'permissions' only. */
  ask?: PermissionAskView;
  /** kind 'submit' only: the records the site offers, as readable summaries. */
  submit?: SubmitReviewView;
  createdAt: number;
}

/** What each request above answers (the background's procedures return exactly these). */
export interface CoreReplies {
  'ui.status': StatusView;
  'ui.activity': Done;
  'support.log': { entries: SupportLogEntry[] };
  'support.clear': Done;
  'ui.approval.get': ApprovalView;
  'ui.approval.decide': Done;
}
