import { z } from 'zod';

/**
 * Records a site sent with securemed_submit (extension/submit/): the review window's view of them, and
 * the "Added by" line of a stored record's detail (its FHIR Provenance, procedures/submit.ts).
 */
export const submitRequests = [
  /** Where a record came from, when a site added it (its Provenance); `added` absent for the patient's own imports. */
  z.strictObject({ type: z.literal('submit.provenance'), id: z.string().uuid() }),
] as const;

/** One offered record as the review window shows it: words only, never the raw resource. */
export interface SubmitReviewItem {
  /** Index into what the site sent (`resources`, or the Bundle's entries). */
  index: number;
  title: string;
  /** The vault's category in words ("Lab results"). */
  category: string;
  /** The record's date, already in words ("12 March 2024"). */
  date?: string;
  /** The vault's readable fields (Result, Reference range, Status…), values in words. */
  fields: Array<{ label: string; value: string }>;
  /** Sensitive kinds SecureMed recognised (mental health…): shown so the patient notices. */
  sensitive: string[];
  /** Already in the vault (same content): shown, not stored again, no checkbox. */
  duplicate: boolean;
}

export interface SubmitReviewView {
  /** The provider the site writes for, and whether the directory vouches for it. */
  grantee: { address: string; directory: 'verified' | 'unverified' | 'unknown' };
  items: SubmitReviewItem[];
}

/** "Added by <site> (grantee …) on <date>", from the record's Provenance. */
export interface ProvenanceView {
  origin: string;
  grantee?: string;
  /** When the patient accepted it (ms since epoch): the Provenance's `recorded`. */
  at: number;
  /** The Provenance resource itself (FHIR R4), for the raw view on request. */
  provenance: Record<string, unknown>;
}

export interface SubmitReplies {
  'submit.provenance': { added?: ProvenanceView };
}
