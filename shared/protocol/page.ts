import { z } from 'zod';
import { Limits } from './limits';
import { PAGE_CHANNEL, jsonChars } from './channel';
import { PURPOSE_CODES } from './purposes';

/**
 * The page channel's schemas: what `window.securemed.request()` sends, as the bridge relays it and the
 * background parses it (the background trusts nobody, the bridge included). The content scripts use
 * the schema-free twin in channel.ts; test/unit/boundary proves the two agree.
 */
export { PAGE_CHANNEL, PAGE_PORT } from './channel';

export const PageMethods = [
  'securemed_connect',
  'securemed_status',
  'securemed_requestPermissions',
  'securemed_getPermissions',
  'securemed_revokePermissions',
  'securemed_search',
  'securemed_submit',
] as const;
export type PageMethod = (typeof PageMethods)[number];

const jsonSized = z.unknown().refine((value) => jsonChars(value) <= Limits.pageParamsChars, {
  message: `params larger than ${Limits.pageParamsChars} characters`,
});

/** One EIP-1193 request as a page sends it. The method is checked later so an unknown one gets 4200. */
export const PageRequest = z.strictObject({
  method: z.string().min(1).max(Limits.methodChars),
  params: jsonSized.optional(),
});
export type PageRequest = z.infer<typeof PageRequest>;

const RequestId = z.string().min(1).max(Limits.requestIdChars);

/** What the MAIN-world provider posts with window.postMessage and the bridge accepts. */
export const PageToExtension = z.strictObject({
  channel: z.literal(PAGE_CHANNEL),
  direction: z.literal('to-extension'),
  id: RequestId,
  request: PageRequest,
});
export type PageToExtension = z.infer<typeof PageToExtension>;

/** bridge → background over the page port (`PAGE_PORT`); parsed by background/page-port.ts. */
export const BridgeToBackground = z.strictObject({
  type: z.literal('page.request'),
  id: RequestId,
  request: PageRequest,
});
export type BridgeToBackground = z.infer<typeof BridgeToBackground>;

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x address');

/** Longest grant a site may ask for (the contract caps durations too). */
export const MAX_GRANT_DAYS = 365;

/**
 * securemed_requestPermissions params: which grantee (bound to this origin by its binding file), SMART
 * v2 scopes, a purpose code from the fixed list (purposes.ts) and how many days. Parsed in
 * extension/page-api/request-permissions.ts; scopes are parsed again by shared/chain/scopes.ts.
 */
export const RequestPermissionsParams = z.strictObject({
  grantee: Address,
  scopes: z.array(z.string().min(1).max(200)).min(1).max(32),
  purpose: z.enum(PURPOSE_CODES),
  durationDays: z.number().int().min(1).max(MAX_GRANT_DAYS),
});
export type RequestPermissionsParams = z.infer<typeof RequestPermissionsParams>;

/** securemed_revokePermissions params: one grantee, or every grant this site holds when omitted. */
export const RevokePermissionsParams = z.strictObject({ grantee: Address.optional() }).optional();

/** Most entries one securemed_search page returns (`_count`); the SDK follows `next` links for more. */
export const MAX_SEARCH_COUNT = 200;
/** A FHIR date search value: an optional prefix (eq, gt, lt, ge, le) and a (partial) date or dateTime. */
const SearchDate = z.string().max(40).regex(/^(eq|gt|lt|ge|le)?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/, 'a FHIR date with an optional eq|gt|lt|ge|le prefix');
const SearchDates = z.union([SearchDate, z.array(SearchDate).min(1).max(4)]);
/** A comma-separated FHIR token list (`system|code,code`). */
const SearchTokens = z.string().min(1).max(2048);

/**
 * securemed_search params: the FHIR search parameters portals send (as JSON, not a query string).
 * `grantee` picks one of the site's permissions (all of them when omitted). `_offset` comes from the
 * `next` link of the page before. Parsed in extension/fhir-search/query.ts.
 */
export const SearchParams = z
  .strictObject({
    grantee: Address.optional(),
    _type: SearchTokens.optional(),
    category: SearchTokens.optional(),
    code: SearchTokens.optional(),
    date: SearchDates.optional(),
    _lastUpdated: SearchDates.optional(),
    _count: z.number().int().min(0).max(MAX_SEARCH_COUNT).optional(),
    _summary: z.literal('count').optional(),
    _offset: z.number().int().min(0).max(10_000_000).optional(),
  })
  .optional();
export type SearchParams = NonNullable<z.infer<typeof SearchParams>>;

/** Most resources one securemed_submit carries (Limits.submitEntries): the patient reviews each. */
export const MAX_SUBMIT_ENTRIES = Limits.submitEntries;

/**
 * securemed_submit params: records a site with write scope (SMART v2 `.c`/`.cu`, e.g.
 * `patient/Observation.c?category=laboratory`) offers the patient, as `resources` (FHIR R4 resources)
 * or one FHIR `bundle` (collection, transaction, batch…: its entries' resources), never both. Each
 * entry is checked as FHIR by the vault's import rules (shared/fhir) in extension/submit/, where a bad
 * one is -32602 with `data: [{index, reasons}]`. `grantee` picks the provider the site writes for (needed
 * only when the site holds write permission for several). The whole request stays within
 * Limits.pageParamsChars like every page request. Parsed in extension/page-api/submit.ts.
 */
const SubmittedObject = z.record(z.string(), z.unknown());
export const SubmitParams = z
  .strictObject({
    grantee: Address.optional(),
    resources: z.array(z.unknown()).min(1, 'send at least one resource').max(MAX_SUBMIT_ENTRIES, `at most ${MAX_SUBMIT_ENTRIES} resources per submit`).optional(),
    bundle: SubmittedObject.optional(),
  })
  .refine((p) => (p.resources === undefined) !== (p.bundle === undefined), { message: 'send either `resources` or `bundle`, not both', path: ['resources'] });
export type SubmitParams = z.infer<typeof SubmitParams>;

/**
 * What securemed_submit answers once the patient has chosen: indices into what the site sent
 * (`resources`, or the Bundle's `entry`). `accepted` were stored, `declined` the patient unticked,
 * `duplicates` were already in the vault (not stored again). `stored` gives, for each accepted one, the
 * fullUrl this site will see for it in securemed_search. Nothing about the patient's other records.
 */
export interface SubmitResult {
  accepted: number[];
  declined: number[];
  duplicates: number[];
  stored: Array<{ index: number; fullUrl: string }>;
}

/** securemed_submit's -32602 `data`: why each rejected entry is not valid FHIR for the vault. */
export interface SubmitRejection {
  index: number;
  reasons: string[];
}

/**
 * A permission as pages see it (getPermissions, requestPermissions, permissionsChanged). `status`:
 * pending (approved, on its way to the chain), active (confirmed), revoked, expired, or failed (the
 * chain refused it; `reason` in words).
 */
export type PermissionStatus = 'pending' | 'active' | 'revoked' | 'expired' | 'failed';
export interface PagePermission {
  origin: string;
  grantee: string;
  /** The site's pairwise patient account for this grantee (what the chain knows as the patient). */
  patient: string;
  scopes: string[];
  purpose: string;
  /** Unix seconds. */
  expiresAt: number;
  status: PermissionStatus;
  txHash?: string;
  reason?: string;
}
