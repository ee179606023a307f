import { derivePairwiseAccount, deriveSiteGranteeAccount } from '../../shared/crypto/identity';
import type { PagePermission } from '../../shared/protocol/page';
import { unlocked } from '../keys/unlocked';
import { permissionsChanged } from './events';
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
export function pagePermissions(site: SiteRecord | undefined): PagePermission[] {
  if (!site) return [];
  return site.permissions.filter((p) => !(p.status === 'revoked' && p.chain === 'revoked')).map((p) => toPagePermission(site.origin, p));
}

export function notifySite(site: SiteRecord | undefined): void {
  if (site) permissionsChanged(site.origin, pagePermissions(site));
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

/**
 * Revoke locally at once (the page and the Sharing tab see it immediately), then on chain through the
 * tracker. A grant that never left this browser needs no chain revoke.
 */
function revokedLocally(p: StoredPermission, now: number): StoredPermission {
  if (p.status === 'revoked') return p;
  const neverSent = p.chain === 'granting' && !p.relayId;
  return { ...p, status: 'revoked', chain: neverSent ? 'revoked' : 'revoking', relayId: undefined, resigns: 0, reason: undefined, updatedAt: now };
}

export async function revokePermissions(origin: string, grantee?: string): Promise<SiteRecord | undefined> {
  const now = Date.now();
  const site = await updateSite(origin, (s) =>
    s && {
      ...s,
      permissions: s.permissions.map((p) => (!grantee || p.grantee.toLowerCase() === grantee.toLowerCase() ? revokedLocally(p, now) : p)),
    },
  );
  notifySite(site);
  return site;
}

export async function touchSite(origin: string): Promise<void> {
  if (await loadSite(origin)) await updateSite(origin, (s) => s && { ...s, lastUsedAt: Date.now() });
}
