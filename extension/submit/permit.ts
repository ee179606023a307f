import { categoryOfResource, parseScope, Scope } from '../../shared/chain/scopes';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { grantOf, latestBlockTime } from '../chain/reads';
import { loadSite, type StoredPermission } from '../consent/store';

/**
 * May this site add records, for which provider, and of which kinds? Like reading (fhir-search/access.ts):
 * the local permission first (a revoke applies at once), then the grant on chain, which must hold the
 * WRITE bit and be in force by block time; a chain that does not answer means no (4100), never "trust
 * the local copy".
 *
 * What may be written comes from the SMART v2 write scopes (`c` or `u`) of the permission:
 * `patient/Observation.c?category=laboratory` lets the site add lab Observations only. The chain's WRITE
 * bit is the upper bound (a write-only grant carries no category bits on chain); the kinds come from the
 * scope's own type and category, as the consent layer maps them (shared/chain/scopes.ts). A record
 * labelled sensitive (meta.security PSY, ETH, SEX) is writable only under a scope naming that label.
 */
export interface WriteScope {
  resourceType: string;
  /** Category bits a record may have (the scope read as a read scope: its type and category filter). */
  bits: number;
}

export interface WritePermit {
  grantee: string;
  scopes: WriteScope[];
}

const refuse = (why: string) => new ProviderRpcError(ProviderErrorCode.unauthorized, why);

/** The write scopes of a permission; a scope we no longer understand grants nothing. */
export function writeScopesOf(scopes: readonly string[]): WriteScope[] {
  const out: WriteScope[] = [];
  for (const scope of scopes) {
    try {
      const parsed = parseScope(scope);
      if (!parsed.write) continue;
      // The same scope with read permissions gives the category bits its type and query name.
      const asRead = parseScope(scope.replace(/^(patient\/(?:\*|[A-Z][A-Za-z]+))\.[a-z*]+/, '$1.rs'));
      out.push({ resourceType: parsed.resourceType, bits: (asRead.mask & ~Scope.WRITE) >>> 0 });
    } catch {
      // never more than it said
    }
  }
  return out;
}

function locallyUsable(p: StoredPermission, nowMs: number): boolean {
  return (p.status === 'active' || p.status === 'pending') && p.expiresAt * 1000 > nowMs && p.chain !== 'revoking' && p.chain !== 'revoked';
}

/** The one permission this call writes under, checked locally and on chain; else 4100 (or -32602 when ambiguous). */
export async function writePermit(origin: string, grantee?: string): Promise<WritePermit> {
  const site = await loadSite(origin);
  if (!site || site.disconnectedAt) throw refuse('This site is not connected to SecureMed');
  const named = site.permissions.filter((p) => !grantee || p.grantee.toLowerCase() === grantee.toLowerCase());
  const writers = named.filter((p) => writeScopesOf(p.scopes).length > 0 && (p.mask & Scope.WRITE) !== 0);
  if (!writers.length) throw refuse('This site holds no permission to add records (it needs a write scope such as patient/Observation.c)');
  const usable = writers.filter((p) => locallyUsable(p, Date.now()));
  if (!usable.length) throw refuse('The patient has revoked the permission to add records, or it has expired');
  if (new Set(usable.map((p) => p.grantee.toLowerCase())).size > 1) {
    throw new ProviderRpcError(ProviderErrorCode.invalidParams, 'This site may add records for several providers: name one with `grantee`');
  }
  const p = usable[0]!;
  let inForce: boolean;
  try {
    const [now, g] = await Promise.all([latestBlockTime(), grantOf(p.patient, p.grantee)]);
    inForce = g.expiresAt > now && ((g.scopes & p.mask & Scope.WRITE) >>> 0) !== 0;
  } catch {
    throw refuse('SecureMed could not confirm the permission on the network right now; try again shortly');
  }
  if (!inForce) throw refuse('The permission to add records is not in force on the network (expired, revoked or not confirmed yet)');
  return { grantee: p.grantee, scopes: writeScopesOf(p.scopes) };
}

/** Whether the permit lets the site add this (validated) resource. */
export function mayWrite(permit: WritePermit, resource: { resourceType: string; [field: string]: unknown }): boolean {
  let bit: number;
  try {
    bit = categoryOfResource(resource as Parameters<typeof categoryOfResource>[0]);
  } catch {
    return false; // a type the consent categories do not know is never written
  }
  return permit.scopes.some((s) => (s.resourceType === '*' || s.resourceType === resource.resourceType) && (s.bits & bit) !== 0);
}
