/**
 * The FHIR shapes a portal gets back from securemed_search, typed just enough to use without a FHIR
 * library (no dependency): a searchset Bundle of resources. A portal with its own FHIR types (e.g.
 * @types/fhir for R4) can cast `resource`.
 */
export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: { lastUpdated?: string; security?: Array<{ system?: string; code?: string }> };
  [field: string]: unknown;
}

export interface SearchsetEntry<R extends FhirResource = FhirResource> {
  /** urn:uuid, stable per (site, record): another site gets another one for the same record. */
  fullUrl: string;
  resource: R;
  search: { mode: 'match' };
}

export interface SearchsetBundle<R extends FhirResource = FhirResource> {
  resourceType: 'Bundle';
  type: 'searchset';
  timestamp: string;
  /** Only with `_summary: 'count'`. */
  total?: number;
  /** `self`, and `next` while there is more (`securemed:search?<params>`; the SDK follows it). */
  link: Array<{ relation: 'self' | 'next'; url: string }>;
  entry?: Array<SearchsetEntry<R>>;
}

/**
 * securemed_search params: FHIR search parameters as JSON. Tokens are `system|code`, `|code` (no
 * system) or `code` (any system), comma-separated for "any of"; dates take eq|gt|lt|ge|le prefixes
 * and several conditions as an array (`['ge2023-01-01', 'lt2024']`). `_count` ≤ 200 (default 50).
 * The extension's schema (shared/protocol/page.ts SearchParams) is the authority; a unit test keeps
 * the two identical.
 */
export interface SearchParams {
  /** One of this site's grantees (all of them when omitted). */
  grantee?: string;
  _type?: string;
  category?: string;
  code?: string;
  date?: string | string[];
  _lastUpdated?: string | string[];
  _count?: number;
  _summary?: 'count';
  /** Set by `next` links; portals rarely need it. */
  _offset?: number;
}

const LINK_PREFIX = 'securemed:search?';
const NUMERIC = new Set(['_count', '_offset']);

/** The params of a Bundle's `next` link, or undefined on the last page. */
export function nextParams(bundle: Pick<SearchsetBundle, 'link'>): SearchParams | undefined {
  const url = bundle.link?.find((l) => l.relation === 'next')?.url;
  if (!url || !url.startsWith(LINK_PREFIX)) return undefined;
  const query = new URLSearchParams(url.slice(LINK_PREFIX.length));
  const out: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = NUMERIC.has(key) ? Number(values[0]) : key === 'date' || key === '_lastUpdated' ? (values.length > 1 ? values : values[0]) : values[0];
  }
  return out as SearchParams;
}
