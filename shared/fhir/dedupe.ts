// De-duplication key for a record: HMAC-SHA256 under the vault's dedup key over the canonical JSON of
// the resource minus the fields that change when the same record is exported again. Keyed on purpose
// (docs/architecture.md, "Trust boundaries"): a plain hash of a lab result is a dictionary-attackable fingerprint
// of the plaintext; the HMAC key comes from the patient's seed and never leaves the background.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from './canonical.js';
import { isObject } from './codes.js';

/**
 * Fields ignored by default. `id`: servers assign their own ids and we assign one to records that
 * arrive without one, so the same content must not differ by id. `meta.versionId`, `meta.lastUpdated`,
 * `meta.source`: bookkeeping of the server that exported it. Security labels and tags are content.
 */
export const VOLATILE_FIELDS: readonly string[] = ['id', 'meta.versionId', 'meta.lastUpdated', 'meta.source'];

/** Domain separation: the key may one day be used for another look-up; v1 marks this format. */
export const DEDUP_DOMAIN = 'SecureMed dedup v1\n';
const encoder = new TextEncoder();

export interface DedupeOptions {
  /** Dotted paths to drop before hashing (default VOLATILE_FIELDS). */
  ignore?: readonly string[];
  /** Canonical JSON function (default: the project's RFC 8785 one). */
  canonicalize?: (value: unknown) => string;
}

/** A copy of `resource` without the ignored paths; an object left empty (e.g. meta) is dropped too. */
export function withoutVolatile(resource: Record<string, unknown>, ignore: readonly string[] = VOLATILE_FIELDS): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...resource };
  for (const path of ignore) {
    const parts = path.split('.');
    let parent: Record<string, unknown> = copy;
    const chain: Array<[Record<string, unknown>, string]> = [];
    let found = true;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i]!;
      const next = parent[key];
      if (!isObject(next)) {
        found = false;
        break;
      }
      // Copy on the way down so the caller's object is never modified.
      const cloned = { ...next };
      parent[key] = cloned;
      chain.push([parent, key]);
      parent = cloned;
    }
    if (!found) continue;
    delete parent[parts[parts.length - 1]!];
    for (let i = chain.length - 1; i >= 0; i--) {
      const [owner, key] = chain[i]!;
      if (Object.keys(owner[key] as object).length === 0) delete owner[key];
    }
  }
  return copy;
}

/** 64 hex chars. Same content → same key under the same vault key; different vault → unrelated keys. */
export function dedupeKey(vaultDedupKey: Uint8Array, resource: Record<string, unknown>, opts: DedupeOptions = {}): string {
  if (!(vaultDedupKey instanceof Uint8Array) || vaultDedupKey.length < 16) {
    throw new Error('dedupeKey: the vault dedup key must be at least 16 bytes');
  }
  const canonical = (opts.canonicalize ?? canonicalJson)(withoutVolatile(resource, opts.ignore));
  const mac = hmac(sha256, vaultDedupKey, encoder.encode(DEDUP_DOMAIN + canonical));
  let hex = '';
  for (const b of mac) hex += b.toString(16).padStart(2, '0');
  return hex;
}
