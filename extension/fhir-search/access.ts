import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { grantOf, latestBlockTime } from '../chain/reads';
import { loadSite, type StoredPermission } from '../consent/store';
import { permitOf, type Permit } from './coverage';

/**
 * May this site read now, and what? Local state first (a revoke in the consent manager applies at
 * once, before any chain round trip), then the grant on chain with its expiry in block time, through
 * the chain client (extension/chain/: answers cached ~4 s, block time ~1 s). Fails closed: a chain that
 * does not answer means no access (4100 with the reason), never "trust the local copy".
 */
const refuse = (why: string) => new ProviderRpcError(ProviderErrorCode.unauthorized, why);

/** Locally still usable: approved (confirmed, or on its way) and not past its expiry by this clock. */
function locallyUsable(p: StoredPermission, nowMs: number): boolean {
  return (p.status === 'active' || p.status === 'pending') && p.expiresAt * 1000 > nowMs && p.chain !== 'revoking' && p.chain !== 'revoked';
}

export async function sitePermits(origin: string, grantee?: string): Promise<Permit[]> {
  const site = await loadSite(origin);
  if (!site || site.disconnectedAt) throw refuse('This site is not connected to SecureMed');
  const mine = site.permissions.filter((p) => !grantee || p.grantee.toLowerCase() === grantee.toLowerCase());
  const usable = mine.filter((p) => locallyUsable(p, Date.now()));
  if (!usable.length) throw refuse(mine.length ? 'The patient has revoked this permission, or it has expired' : 'This site holds no permission to read records');

  let chainNow: bigint;
  const permits: Permit[] = [];
  try {
    chainNow = await latestBlockTime();
    for (const p of usable) {
      const g = await grantOf(p.patient, p.grantee);
      if (g.expiresAt <= chainNow || g.scopes === 0) continue;
      const permit = permitOf(p.grantee, p.mask, g.scopes, p.scopes);
      if (permit.mask !== 0 && permit.scopes.length) permits.push(permit);
    }
  } catch {
    throw refuse('SecureMed could not confirm the permission on the network right now; try again shortly');
  }
  if (!permits.length) throw refuse('The permission is not in force on the network (expired, revoked or not confirmed yet)');
  return permits;
}
