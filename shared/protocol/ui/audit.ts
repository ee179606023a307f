import { z } from 'zod';

/**
 * The audit trail (extension/audit/, procedures/audit.ts): the Activity view, "who saw this" in a
 * record's detail, the popup's last accesses, and the export as a FHIR Bundle of AuditEvents.
 */
export const auditRequests = [
  /** Entries newest first, filtered by site (exact origin) and period (ms since epoch), one page. */
  z.strictObject({
    type: z.literal('audit.list'),
    origin: z.string().max(512).optional(),
    since: z.number().optional(),
    until: z.number().optional(),
    limit: z.number().int().min(1).max(10_000),
    /** Also the consent contract's events about the patient's site accounts (asks the configured RPC). */
    chain: z.boolean().optional(),
  }),
  /** The sites that read one record, and when (first, last, how many times). */
  z.strictObject({ type: z.literal('audit.whoSaw'), id: z.string().min(1).max(200) }),
  /** The (filtered) trail as a FHIR R4 Bundle of AuditEvents, as file text. */
  z.strictObject({ type: z.literal('audit.export'), origin: z.string().max(512).optional(), since: z.number().optional(), until: z.number().optional() }),
] as const;

export type AuditOutcomeWord = 'allowed' | 'refused' | 'declined' | 'failed';

/** One line of the Activity view: already in plain words, with the facts a filter or a test needs. */
export interface AuditLine {
  id: string;
  origin: string;
  method: string;
  outcome: AuditOutcomeWord;
  code?: number;
  /** e.g. "patient-portal.localhost read 12 records — allowed" */
  text: string;
  grantee?: string;
  scopes: string[];
  resources: number;
  count: number;
  first: number;
  last: number;
  /** Present for the consent contract's events (granted, revoked, access requested, break-glass). */
  source?: 'chain';
  txHash?: string;
}

/** Where the chain's events came from, so the page can say what that service could see. */
export interface ChainActivity {
  /** The RPC's host. */
  rpc: string;
  /** How many site accounts were asked about, one request each. */
  accounts: number;
  /** Set when the chain did not answer: the trail is shown without (some of) its events. */
  error?: string;
}

export interface AuditList {
  lines: AuditLine[];
  /** Entries matching the filter (lines may hold fewer: the page). */
  total: number;
  /** Every site in the trail, for the site filter. */
  origins: string[];
  /** Present when the chain's events were asked for. */
  chain?: ChainActivity;
}

export interface WhoSaw {
  sites: Array<{ origin: string; first: number; last: number; times: number }>;
}

export interface AuditReplies {
  'audit.list': AuditList;
  'audit.whoSaw': WhoSaw;
  'audit.export': { fileName: string; text: string };
}
