import { browser } from 'wxt/browser';
import { UNLOCKED_SEED_KEY, unlocked } from '../keys/unlocked';
import { grantIntent } from '../tx-queue/consent-kinds';
import { discard, enqueue, onActionChanged, queuedActions } from '../tx-queue/queue';
import type { QueuedAction } from '../tx-queue/store';
import { notifySite } from './permissions';
import { deleteSite, loadSites, serialConsent, updateSite, type SiteRecord, type StoredPermission } from './store';
import { coalescedRun } from '../background/coalesced-run';

/**
 * Consent on its way to the chain, through the patient's one transaction queue (extension/tx-queue/,
 * kinds `grant` and `revoke`). The queue signs, retries, survives worker stops and browser restarts,
 * and checks the chain; this module only keeps each permission row in step with the action that
 * drives it (`actionId`) and tells the page (permissionsChanged) when its permission changes.
 *
 * Catch-up, not only events: the queue calls back when an action's row changes, and every worker
 * start, unlock and Sharing-tab refresh reconciles all rows with the queue, so a worker stopped
 * between the queue's save and our update loses nothing.
 */
const inFlight = (p: StoredPermission) => p.chain === 'granting' || p.chain === 'revoking';

/** Queue the grant of a permission the patient just approved (the row is saved first, `chain: granting`). */
export async function queueGrant(origin: string, p: StoredPermission, after?: string): Promise<string> {
  const intent = grantIntent({ origin, grantee: p.grantee, patient: p.patient, mask: p.mask, expiresAt: p.expiresAt, purpose: p.purpose, purposeSalt: p.purposeSalt });
  return (await enqueue('grant', intent, after ? { after } : {})).id;
}

/**
 * What must happen before a new decision about the pair reaches the chain: an earlier action still on
 * its way is dropped when it never left this browser, otherwise the new one waits for it (`after`).
 */
export async function settleBefore(previous: StoredPermission | undefined): Promise<string | undefined> {
  if (!previous?.actionId || !inFlight(previous)) return undefined;
  if (previous.chain === 'granting' && (await discard(previous.actionId))) return undefined;
  return previous.actionId;
}

/**
 * Revoke one permission locally at once and queue what undoes it on chain: nothing when its grant
 * never left this browser (dropped) or failed; otherwise a revoke, after the grant when that is
 * still on its way.
 */
export async function revokeOne(origin: string, p: StoredPermission, now: number): Promise<StoredPermission> {
  if (p.status === 'revoked') return p;
  const base = { ...p, status: 'revoked' as const, reason: undefined, relayId: undefined, resigns: undefined, updatedAt: now };
  if (p.chain === 'failed' && p.status === 'failed') return { ...base, chain: 'revoked', actionId: undefined };
  if (p.chain === 'granting' && p.actionId && (await discard(p.actionId))) return { ...base, chain: 'revoked', actionId: undefined };
  const after = p.chain === 'granting' ? p.actionId : undefined;
  const action = await enqueue('revoke', { origin, grantee: p.grantee, patient: p.patient }, after ? { after } : {});
  return { ...base, chain: 'revoking', actionId: action.id, txHash: undefined };
}

/** Revoke a site's permissions (one grantee, or all): locally at once, on chain through the queue. The page hears it. */
export async function revokePermissions(origin: string, grantee?: string): Promise<SiteRecord | undefined> {
  const site = await updateSite(origin, async (s) => {
    if (!s) return undefined;
    const now = Date.now();
    const permissions: StoredPermission[] = [];
    for (const p of s.permissions) permissions.push(!grantee || p.grantee.toLowerCase() === grantee.toLowerCase() ? await revokeOne(origin, p, now) : p);
    return { ...s, permissions };
  });
  notifySite(site);
  return site;
}

/** A permission as its action says it is. Unchanged object when nothing differs. */
export function followAction(row: StoredPermission, a: QueuedAction | undefined, now: number): StoredPermission {
  if (!a) return row;
  let p = row;
  const waitingWords = a.reason ? a.reason.slice(0, 500) : undefined;
  // A refused action tried again ("Try again", chain.retry) keeps its id: the row that names it follows
  // it back on its way. Only a refused grant the patient still wants (status failed, not revoked) and
  // a refused revoke (status revoked) — a revoke clears the row's actionId, so a stale grant never maps.
  const retried = a.state !== 'failed' && p.chain === 'failed' && p.actionId === a.id;
  if (retried && a.kind === 'grant' && p.status === 'failed') p = { ...p, status: 'pending', chain: 'granting' };
  else if (retried && a.kind === 'revoke' && p.status === 'revoked') p = { ...p, chain: 'revoking' };
  let next: StoredPermission = p;
  if (a.kind === 'grant' && p.chain === 'granting') {
    if (a.state === 'confirmed') next = { ...p, status: 'active', chain: 'granted', txHash: a.txHash, reason: undefined };
    else if (a.state === 'failed') next = { ...p, status: 'failed', chain: 'failed', reason: `Not recorded on the network: ${a.reason ?? 'refused'}`.slice(0, 500) };
    else next = { ...p, reason: waitingWords, ...(a.txHash ? { txHash: a.txHash } : {}) };
  } else if (a.kind === 'revoke' && p.chain === 'revoking') {
    if (a.state === 'confirmed') next = { ...p, chain: 'revoked', txHash: a.txHash, reason: undefined };
    // NoGrant: the grant never reached the chain, so there is nothing to remove there.
    else if (a.state === 'failed' && a.error === 'NoGrant') next = { ...p, chain: 'revoked', reason: undefined };
    else if (a.state === 'failed') next = { ...p, chain: 'failed', reason: `Not removed from the network yet: ${a.reason ?? 'refused'}`.slice(0, 500) };
    else next = { ...p, reason: waitingWords };
  }
  if (next.status === row.status && next.chain === row.chain && next.txHash === row.txHash && next.reason === row.reason) return row;
  return { ...next, updatedAt: now };
}


/** Bring every permission row in line with the queue; one run at a time (a call during a run runs once more). Never throws. */
export const syncConsent: () => Promise<void> = coalescedRun('consent', 'sync with the queue', syncAll);

async function syncAll(): Promise<void> {
  if (!(await unlocked())) return;
  const actions = new Map((await queuedActions()).map((a) => [a.id, a]));
  for (const site of await loadSites()) {
    if (!site.permissions.some((p) => inFlight(p) || (p.chain === 'failed' && p.actionId))) continue;
    let changed = false;
    const saved = await updateSite(site.origin, async (s) => {
      if (!s) return undefined;
      const now = Date.now();
      const permissions: StoredPermission[] = [];
      for (const p of s.permissions) {
        let next = followAction(p, p.actionId ? actions.get(p.actionId) : undefined, now);
        if (inFlight(next) && (!next.actionId || !actions.has(next.actionId))) next = await requeue(s.origin, next, now);
        if (next !== p) changed = true;
        permissions.push(next);
      }
      return changed ? { ...s, permissions } : undefined;
    });
    if (changed && saved) notifySite(saved);
  }
  await forgetDisconnected();
}

/**
 * A permission on its way with no action in the queue: saved just before a worker stop, written by
 * an older version, or restored from a backup (the queue is not backed up). Queued again; the kind
 * checks the chain, so what already landed is not done twice.
 */
async function requeue(origin: string, p: StoredPermission, now: number): Promise<StoredPermission> {
  const actionId = p.chain === 'granting' ? await queueGrant(origin, p) : (await enqueue('revoke', { origin, grantee: p.grantee, patient: p.patient })).id;
  return { ...p, actionId, relayId: undefined, resigns: undefined, updatedAt: now };
}

/** A disconnected site is forgotten once none of its permissions is still on its way. */
async function forgetDisconnected(): Promise<void> {
  await serialConsent(async () => {
    for (const site of await loadSites()) {
      if (site.disconnectedAt && !site.permissions.some(inFlight)) await deleteSite(site.origin);
    }
  });
}

/** Background wiring (once per worker start): follow the queue's grants and revokes, and catch up now. */
export function startConsentSync(): void {
  onActionChanged((a) => {
    if (a.kind === 'grant' || a.kind === 'revoke') void syncConsent();
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && changes[UNLOCKED_SEED_KEY]?.newValue) void syncConsent();
  });
  void syncConsent();
}
