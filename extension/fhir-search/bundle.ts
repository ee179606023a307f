import { sha256 } from '@noble/hashes/sha2.js';
import type { SearchParams } from '../../shared/protocol/page';

/**
 * The searchset Bundle a portal gets (FHIR R4 Bundle, type searchset). Links are `securemed:search?…`
 * URIs: the same params as a query string, so a portal (or the SDK) can follow `next` by sending its
 * params back as securemed_search params.
 */
export const SEARCH_LINK_PREFIX = 'securemed:search?';

export interface SearchsetEntry {
  fullUrl: string;
  resource: unknown;
  search: { mode: 'match' };
}

export interface SearchsetBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  timestamp: string;
  total?: number;
  link: Array<{ relation: 'self' | 'next'; url: string }>;
  entry?: SearchsetEntry[];
}

export function searchLink(params: SearchParams): string {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) qs.append(key, String(v));
  }
  return SEARCH_LINK_PREFIX + qs.toString();
}

export function searchsetBundle(p: { self: SearchParams; next?: SearchParams; entries?: SearchsetEntry[]; total?: number }): SearchsetBundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: new Date().toISOString(),
    ...(p.total !== undefined ? { total: p.total } : {}),
    link: [{ relation: 'self', url: searchLink(p.self) }, ...(p.next ? [{ relation: 'next' as const, url: searchLink(p.next) }] : [])],
    ...(p.entries ? { entry: p.entries } : {}),
  };
}

/**
 * The Bundle's JSON text, assembled from the resources' JSON that run.ts already made to bound the
 * page size, so the page port does not serialize 200 resources a second time (background/page-port.ts
 * sends search answers as JSON text). Kept beside the Bundle object; equal to JSON.stringify(bundle)
 * (a unit test holds them equal).
 */
const bundleText = new WeakMap<object, string>();

/** `bundle` with its JSON text attached; `resourceJson[i]` is JSON.stringify of entry i's resource. */
export function withJsonText(bundle: SearchsetBundle, resourceJson: readonly string[]): SearchsetBundle {
  const { entry, ...head } = bundle;
  if (!entry || entry.length !== resourceJson.length) return bundle;
  const entries = entry.map((e, i) => `{"fullUrl":${JSON.stringify(e.fullUrl)},"resource":${resourceJson[i]},"search":{"mode":"match"}}`);
  bundleText.set(bundle, `${JSON.stringify(head).slice(0, -1)},"entry":[${entries.join(',')}]}`);
  return bundle;
}

/** JSON text of an answer: the attached text of a search Bundle, else JSON.stringify. */
export function answerJson(result: unknown): string {
  return (typeof result === 'object' && result !== null && bundleText.get(result)) || JSON.stringify(result);
}

/**
 * A stable fullUrl per (site, record) that tells the site nothing else: `urn:uuid:` of a SHA-256 over
 * the origin and the vault's private record id. Two sites get different fullUrls for one record.
 */
export function siteFullUrl(origin: string, vaultId: string): string {
  // Synchronous on purpose: a search page computes one per record, and for ~100 bytes @noble/hashes
  // takes a few µs on the worker's thread, while a WebCrypto digest (plus a new TextEncoder) per record
  // was ≈ 6 % of the worker's busy time in the issue 12 profile (fhir-search/README.md).
  const digest = sha256(FULL_URL_TEXT.encode(`SecureMed fullUrl v1\n${origin}\n${vaultId}`));
  digest[6] = (digest[6]! & 0x0f) | 0x40; // version 4 layout (name-based, but shaped as a valid uuid)
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  let hex = '';
  for (let i = 0; i < 16; i++) hex += HEX_BYTE[digest[i]!];
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const FULL_URL_TEXT = new TextEncoder();
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
