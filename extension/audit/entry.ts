import { z } from 'zod';

/**
 * One audit entry as the vault keeps it (sealed, registry kind `auditEvents`): one page-API call, or
 * several identical ones from the same site in the same window (`count`, `first`..`last`). The FHIR
 * R4 AuditEvent is built from it (event.ts) for the export; the Activity view words it (words.ts).
 */
export const AUDIT_KIND = 'auditEvents';
/** Record references kept per entry (a search page is at most a few hundred; more is noted as `more`). */
export const MAX_READS_PER_ENTRY = 1000;

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const AuditOutcome = z.enum(['allowed', 'refused', 'declined', 'failed']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z.strictObject({
  v: z.literal(1),
  id: z.string().min(1).max(200),
  method: z.string().min(1).max(64),
  origin: z.string().min(1).max(512),
  grantee: Address.optional(),
  scopes: z.array(z.string().max(200)).max(32),
  outcome: AuditOutcome,
  /** The EIP-1193 error code the page got (absent when allowed). */
  code: z.number().int().optional(),
  /** Resources the answer carried (per call; the same for every call of a coalesced entry). */
  resources: z.number().int().nonnegative(),
  /** The fullUrls the site was given for the records it read (fhir-search/bundle.ts siteFullUrl). */
  reads: z.array(z.string().max(200)).max(MAX_READS_PER_ENTRY),
  /** Reads beyond MAX_READS_PER_ENTRY that are counted, not listed. */
  more: z.number().int().nonnegative().optional(),
  first: z.number(),
  last: z.number(),
  count: z.number().int().positive(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** What the dispatch point knows about one call, captured at once (no large answer kept in memory). */
export interface AccessNote {
  method: string;
  origin: string;
  at: number;
  grantee?: string;
  scopes?: string[];
  outcome: AuditOutcome;
  code?: number;
  resources: number;
  reads: string[];
  /** Identical calls this note stands for (the locked-time buffer coalesces); 1 when absent. */
  count?: number;
}
