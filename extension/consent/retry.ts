import { UiError } from '../../shared/protocol/ui-errors';
import { enqueue, queuedAction, retry } from '../tx-queue/queue';
import type { QueuedAction } from '../tx-queue/store';
import { notifySite } from './permissions';
import { loadSites, updateSite, type StoredPermission } from './store';
import { followAction, queueGrant } from './sync';

/**
 * "Try again" for a grant or revoke the network refused (Sharing tab, or `chain.retry` on a consent
 * action). The queue's retry keeps the action's id and re-signs it against the chain as it is now (a
 * fresh deadline and the pair's current epoch); the permission row, which names that id, follows it
 * back on its way (`followAction`) and the page hears permissionsChanged.
 *
 * Security: only what the permission still asks for is sent again. A refused grant the patient has
 * since stopped (or replaced) is named by no row any more, and is never sent: retrying it would give
 * access back that the patient took away.
 */
const refusedGrant = (p: StoredPermission) => p.status === 'failed' && p.chain === 'failed';
const refusedRevoke = (p: StoredPermission) => p.status === 'revoked' && p.chain === 'failed';

/** Try a refused grant or revoke of (origin, grantee) again. Throws when there is nothing refused to try. */
export async function retryPermission(origin: string, grantee: string): Promise<void> {
  let found = false;
  const site = await updateSite(origin, async (s) => {
    if (!s || s.disconnectedAt) return undefined;
    const now = Date.now();
    const permissions: StoredPermission[] = [];
    for (const p of s.permissions) {
      const mine = p.grantee.toLowerCase() === grantee.toLowerCase() && (refusedGrant(p) || refusedRevoke(p));
      if (mine) found = true;
      permissions.push(mine ? await sendAgain(origin, p, now) : p);
    }
    return found ? { ...s, permissions } : undefined;
  });
  if (!found) throw new UiError('not_found', 'There is nothing to try again for this permission: it is no longer refused.');
  notifySite(site);
}

/**
 * `chain.retry` for a grant or revoke: allowed only for the action a refused permission still names,
 * and done through that permission (so the row follows). Anything else is refused, unsent.
 */
export async function retryConsentAction(id: string): Promise<QueuedAction> {
  for (const site of await loadSites()) {
    const p = site.permissions.find((q) => q.actionId === id && (refusedGrant(q) || refusedRevoke(q)));
    if (p) {
      await retryPermission(site.origin, p.grantee);
      const action = await queuedAction(id);
      if (action) return action;
      throw new UiError('not_found', 'That action is no longer in the queue.');
    }
  }
  throw new UiError('conflict', 'This permission was stopped or replaced since the network refused it, so SecureMed will not send it again.');
}

/** The refused action again (same id, re-signed), or — when the queue no longer has it — a new one. */
async function sendAgain(origin: string, p: StoredPermission, now: number): Promise<StoredPermission> {
  const action = p.actionId ? await queuedAction(p.actionId) : undefined;
  const wanted = refusedGrant(p) ? 'grant' : 'revoke';
  if (action && action.kind === wanted) return followAction({ ...p, reason: undefined }, await retry(action.id), now);
  // Not in the queue (a restored backup, or it was cleared): queue it afresh.
  const actionId = wanted === 'grant' ? await queueGrant(origin, p) : (await enqueue('revoke', { origin, grantee: p.grantee, patient: p.patient })).id;
  return { ...p, ...(wanted === 'grant' ? { status: 'pending' as const, chain: 'granting' as const } : { chain: 'revoking' as const }), actionId, reason: undefined, updatedAt: now };
}
