import { z } from 'zod';
import type { PermissionStatus } from '../page';

/**
 * The consent manager (extension/consent/, procedures/consent.ts): connected sites, their permissions,
 * revoke one, disconnect a site, revoke everything. Views are in words; nothing raw.
 */
const Origin = z.string().min(1).max(512);
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const consentRequests = [
  z.strictObject({ type: z.literal('consent.sites') }),
  z.strictObject({ type: z.literal('consent.revoke'), origin: Origin, grantee: Address }),
  /** "Try again": send a grant or revoke the network refused once more (re-signed; never a grant the patient stopped). */
  z.strictObject({ type: z.literal('consent.retry'), origin: Origin, grantee: Address }),
  z.strictObject({ type: z.literal('consent.disconnect'), origin: Origin }),
  z.strictObject({ type: z.literal('consent.revokeAll') }),
  z.strictObject({ type: z.literal('consent.unblock'), origin: Origin }),
  /** Renew a permission for 30 days; `categories` (names, a subset of what it holds) narrows it. */
  z.strictObject({ type: z.literal('consent.renew'), origin: Origin, grantee: Address, categories: z.array(z.string().regex(/^[A-Z_]{1,32}$/)).min(1).max(24).optional() }),
] as const;

export interface PermissionView {
  grantee: string;
  directory: 'verified' | 'unverified' | 'unknown';
  /** Category labels, in words. */
  categories: string[];
  purpose: string;
  /** Unix seconds. */
  expiresAt: number;
  status: PermissionStatus;
  /** Where the chain is: sending, on chain, removing, removed, or failed (with `reason`). */
  chain: 'granting' | 'granted' | 'revoking' | 'revoked' | 'failed';
  txHash?: string;
  reason?: string;
  /** Active and ending within 3 days (the chain's clock): the tab shows a reminder with Renew and Narrow. */
  endsSoon: boolean;
  /** Record categories held, as names (for Narrow's checkboxes) with their labels. */
  choices: Array<{ name: string; label: string }>;
}

export interface SiteView {
  origin: string;
  /** The registrable part shown in bold (e.g. "example.org" of "portal.example.org"). */
  domain: string;
  /** The pairwise account securemed_connect gave this site. */
  address: string;
  connectedAt: number;
  lastUsedAt: number;
  permissions: PermissionView[];
}

export interface ConsentSummary {
  sites: SiteView[];
  /** Permission requests waiting for the patient now. */
  pendingRequests: number;
  /** Sites the patient blocked (their requests are refused without a window). */
  blocked: string[];
  /** "Now" for expiries (ms): the chain's latest block time when it answers, else this computer's clock. */
  now: number;
}

export interface ConsentReplies {
  'consent.sites': ConsentSummary;
  'consent.revoke': { done: true };
  'consent.retry': { done: true };
  'consent.disconnect': { done: true };
  'consent.revokeAll': { done: true };
  'consent.unblock': { done: true };
  /** The renewed permission's new expiry (unix seconds); confirmed on chain later (permissionsChanged). */
  'consent.renew': { expiresAt: number };
}
