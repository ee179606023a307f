import { derivePairwiseAccount, deriveSiteGranteeAccount } from '../../shared/crypto/identity';
import type { PagePermission } from '../../shared/protocol/page';
import { unlocked } from '../keys/unlocked';
import { permissionsChanged } from './events';
import { latestBlockTime } from '../chain/reads';
import { loadSite, updateSite, type SiteRecord, type StoredPermission } from './store';

/** What a page sees of one stored permission (never the salt or relay details). */
export function toPagePermission(origin: string, p: StoredPermission, now = Date.now()): PagePermission {
  const status = p.status === 'active' && p.expiresAt * 1000 <= now ? 'expired' : p.status;
  return {
    origin,
    grantee: p.grantee,
    patient: p.patient,
    scopes: p.scopes,
    purpose: p.purpose,
    expiresAt: p.expiresAt,
    status,
    ...(p.txHash ? { txHash: p.txHash } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
  };
}

/** The permissions a connected site holds (revoked ones are left out once the chain agrees). */
export function pagePermissions(site: SiteRecord | undefined, now = Date.now()): PagePermission[] {
  if (!site) return [];
  return site.permissions.filter((p) => !(p.status === 'revoked' && p.chain === 'revoked')).map((p) => toPagePermission(site.origin, p, now));
}

/** permissionsChanged to a connected site only: a disconnected one hears nothing more. */
export function notifySite(site: SiteRecord | undefined): void {
  if (site && !site.disconnectedAt) permissionsChanged(site.origin, pagePermissions(site));
}

/**
 * "Now" for expiry, in ms: the chain decides whether a grant still gives access, and its clock is the
 * latest block's time. The later of that and this computer's clock (a chain that does not answer
 * within a moment leaves this computer's clock).
 */
export async function consentNow(): Promise<number> {
  const local = Date.now();
  const chain = await Promise.race([
    latestBlockTime().then((t) => Number(t) * 1000, () => 0),
    new Promise<number>((resolve) => setTimeout(() => resolve(0), 1_500)),
  ]);
  return Math.max(local, chain);
}

/** A new site row (connect, or a first permission), with the per-origin account `securemed_connect` answers. */
export async function newSite(origin: string): Promise<SiteRecord> {
  const session = await unlocked();
  if (!session) throw new Error('locked');
  const now = Date.now();
  return { v: 1, origin, address: derivePairwiseAccount(session.seed, origin).address, connectedAt: now, lastUsedAt: now, permissions: [] };
}

export async function siteAccount(origin: string, grantee: string) {
  const session = await unlocked();
  if (!session) throw new Error('locked');
  return deriveSiteGranteeAccount(session.seed, origin, grantee);
}

export async function touchSite(origin: string): Promise<void> {
  if (await loadSite(origin)) await updateSite(origin, (s) => s && { ...s, lastUsedAt: Date.now() });
}
