import { newSalt } from '../../shared/chain/purpose';
import { describeMask, Scope, scopeMask } from '../../shared/chain/scopes';
import { UiError } from '../../shared/protocol/ui-errors';
import { keptScopes } from './ask';
import { consentNow, newSite, notifySite } from './permissions';
import { saveSite, updateSite, type SiteRecord, type StoredPermission } from './store';
import { queueGrant, settleBefore } from './sync';

/**
 * One path for every new grant (a page's approved request, a renew or a narrow from the Sharing tab):
 * the row replaces the grantee's previous one, whatever that one still has on its way to the chain is
 * dropped (never sent) or goes first, and the grant is queued (tx-queue kind `grant`). The page hears
 * permissionsChanged.
 */
export async function storeAndQueueGrant(origin: string, permission: StoredPermission, now = Date.now()): Promise<SiteRecord | undefined> {
  const base = await newSite(origin);
  const site = await updateSite(origin, async (s) => {
    const current = s && !s.disconnectedAt ? s : base;
    const same = (p: StoredPermission) => p.grantee.toLowerCase() === permission.grantee.toLowerCase();
    const after = await settleBefore(current.permissions.find(same));
    const next = { ...current, lastUsedAt: now, permissions: [...current.permissions.filter((p) => !same(p)), permission] };
    // The decision is stored before anything is signed: a worker stop in between is caught up by
    // consent/sync.ts (a permission on its way without an action is queued again), never a grant on
    // chain that the Sharing tab does not list.
    await saveSite(next);
    permission.actionId = await queueGrant(origin, permission, after);
    return next;
  });
  notifySite(site);
  return site;
}

/**
 * A new permission on its way to the chain: a fresh purpose salt, and the expiry counted from the
 * chain's clock (the contract compares expiry with block time). Every new grant is built here.
 */
export async function pendingPermission(
  p: Pick<StoredPermission, 'grantee' | 'patient' | 'scopes' | 'mask' | 'purpose'>,
  days: number,
  now = Date.now(),
): Promise<StoredPermission> {
  return {
    grantee: p.grantee,
    patient: p.patient,
    scopes: p.scopes,
    mask: p.mask,
    purpose: p.purpose,
    purposeSalt: newSalt(),
    expiresAt: Math.floor((await consentNow()) / 1000) + days * 86_400,
    status: 'pending',
    chain: 'granting',
    grantedAt: now,
    updatedAt: now,
  };
}

/** Days a renew (or a narrow) gives from now, on the chain's clock. */
export const RENEW_DAYS = 30;

/**
 * Renew a permission for 30 more days — with the same categories, or fewer (`categories`, a subset of
 * what it holds: narrowing can only take away). Same grantee, scopes (those still covered) and
 * purpose; a new salt and expiry. Only a live permission (active, or still on its way) can be renewed.
 */
export async function renewPermission(
  origin: string,
  current: StoredPermission | undefined,
  categories?: readonly string[],
): Promise<StoredPermission> {
  if (!current || current.status === 'revoked' || current.status === 'failed') throw new UiError('not_found', 'That permission is no longer active.');
  const held = describeMask(current.mask);
  const keep = categories ? new Set(categories) : new Set(held);
  for (const name of keep) if (!held.includes(name as (typeof held)[number])) throw new UiError('invalid', 'A renewal can only keep categories the site already has.');
  // Write (adding records) stays as it was; only record categories are chosen.
  const mask = scopeMask(...held.filter((n) => n === 'WRITE' || keep.has(n)).map((n) => Scope[n]));
  const scopes = keptScopes(current.scopes, mask);
  if (mask === 0 || scopes.length === 0 || held.filter((n) => n !== 'WRITE').every((n) => !keep.has(n))) throw new UiError('invalid', 'Keep at least one category, or stop sharing instead.');
  const now = Date.now();
  const permission = await pendingPermission({ grantee: current.grantee, patient: current.patient, scopes, mask, purpose: current.purpose }, RENEW_DAYS, now);
  await storeAndQueueGrant(origin, permission, now);
  return permission;
}
