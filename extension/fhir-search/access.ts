import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { grantOf, latestBlockTime } from '../chain/reads';
import type { StoredPermission } from '../consent/store';
import { permitOf, type Permit } from './coverage';
import { cachedSite } from './site-cache';

/**
 * May this site read now, and what? Local state first (a revoke in the consent manager applies at
 * once, before any chain round trip), then the grant on chain with its expiry in block time, through
 * the chain client (extension/chain/: answers cached ~4 s, block time ~1 s). Fails closed: a chain that
 * does not answer means no access (4100 with the reason), never "trust the local copy". The local row
 * comes from site-cache.ts, which forgets it on any consent write, so a revoke still applies at once.
 */
const refuse = (why: string) => new ProviderRpcError(ProviderErrorCode.unauthorized, why);

/** Locally still usable: approved (confirmed, or on its way) and not past its expiry by this clock. */
function locallyUsable(p: StoredPermission, nowMs: number): boolean {
  return (p.status === 'active' || p.status === 'pending') && p.expiresAt * 1000 > nowMs && p.chain !== 'revoking' && p.chain !== 'revoked';
}

export async function sitePermits(origin: string, grantee?: string): Promise<Permit[]> {
  const site = await cachedSite(origin);
  if (!site || site.disconnectedAt) throw refuse('This site is not connected to SecureMed');
  const mine = site.permissions.filter((p) => !grantee || p.grantee.toLowerCase() === grantee.toLowerCase());
  const usable = mine.filter((p) => locallyUsable(p, Date.now()));
  if (!usable.length) throw refuse(mine.length ? 'The patient has revoked this permission, or it has expired' : 'This site holds no permission to read records');

  const permits: Permit[] = [];
  try {
    // The block time and every grant are asked together (each a cached read, or one RPC call).
    const [chainNow, grants] = await Promise.all([latestBlockTime(), Promise.all(usable.map((p) => grantOf(p.patient, p.grantee)))]);
    usable.forEach((p, i) => {
      const g = grants[i]!;
      if (g.expiresAt <= chainNow || g.scopes === 0) return;
      const permit = permitOf(p.grantee, p.mask, g.scopes, p.scopes);
      if (permit.mask !== 0 && permit.scopes.length) permits.push(permit);
    });
  } catch {
    throw refuse('SecureMed could not confirm the permission on the network right now; try again shortly');
  }
  if (!permits.length) throw refuse('The permission is not in force on the network (expired, revoked or not confirmed yet)');
  return permits;
}
