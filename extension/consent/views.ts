import { describeMask } from '../../shared/chain/scopes';
import { categoryLabel } from '../../shared/protocol/categories';
import { PURPOSES } from '../../shared/protocol/purposes';
import type { ConsentSummary, PermissionView, SiteView } from '../../shared/protocol/ui/consent';
import { blockedSites } from '../approvals/blocked';
import { allPending } from '../approvals/store';
import { granteeView } from './ask';
import { endsSoon } from './expiry-reminder';
import { consentNow, toPagePermission } from './permissions';
import { loadSites, type SiteRecord, type StoredPermission } from './store';

/** The Sharing tab's and the popup's view of the consent manager, in words. */
export async function consentSummary(): Promise<ConsentSummary> {
  const sites = (await loadSites()).filter((s) => !s.disconnectedAt);
  const pendingRequests = (await allPending()).filter((p) => !p.outcome).length;
  const now = await consentNow();
  return { sites: await Promise.all(sites.map((s) => siteView(s, now))), pendingRequests, blocked: await blockedSites(), now };
}

async function siteView(site: SiteRecord, now: number): Promise<SiteView> {
  return {
    origin: site.origin,
    domain: registrableDomain(site.origin),
    address: site.address,
    connectedAt: site.connectedAt,
    lastUsedAt: site.lastUsedAt,
    permissions: await Promise.all(site.permissions.filter((p) => !(p.status === 'revoked' && p.chain === 'revoked')).map((p) => permissionView(site.origin, p, now))),
  };
}

async function permissionView(origin: string, p: StoredPermission, now: number): Promise<PermissionView> {
  const grantee = await granteeView(p.grantee);
  return {
    grantee: p.grantee,
    directory: grantee.directory,
    categories: describeMask(p.mask).map((n) => (n === 'WRITE' ? 'Adding records for you' : categoryLabel(n))),
    purpose: PURPOSES[p.purpose],
    expiresAt: p.expiresAt,
    status: toPagePermission(origin, p, now).status,
    chain: p.chain,
    ...(p.txHash ? { txHash: p.txHash } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
    endsSoon: endsSoon(p, now),
    choices: describeMask(p.mask).filter((n) => n !== 'WRITE').map((name) => ({ name, label: categoryLabel(name) })),
  };
}

/**
 * The part of a host people recognise: the last two labels (three for a few well-known two-part
 * suffixes). Without a public-suffix list this is a display aid, never a security decision; the full
 * origin is always shown next to it.
 */
const TWO_PART_SUFFIXES = new Set(['co.uk', 'org.uk', 'nhs.uk', 'ac.uk', 'gov.uk', 'com.au', 'co.nz', 'co.jp', 'com.br']);
export function registrableDomain(origin: string): string {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return origin;
  }
  if (/^[\d.]+$/.test(host) || host.startsWith('[') || !host.includes('.')) return host;
  const labels = host.split('.');
  const take = TWO_PART_SUFFIXES.has(labels.slice(-2).join('.')) ? 3 : 2;
  return labels.slice(-take).join('.');
}
