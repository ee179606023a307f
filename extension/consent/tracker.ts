import type { RelayResult } from '../../shared/chain/relayer';
import { unlocked } from '../keys/unlocked';
import { logError } from '../logging/log';
import { relayerConsentChain, type ConsentChainPort } from './chain';
import { notifySite, siteAccount } from './permissions';
import { deleteSite, loadSite, loadSites, serialConsent, updateSite, type StoredPermission } from './store';

/**
 * Brings the chain in line with what the patient decided: submits grants and revokes through the
 * relayer, follows them to a block, and tells the page (permissionsChanged) when its permission
 * settles. Runs when something is queued, on unlock and on worker start, then every POLL_MS while
 * anything is in flight. A relayer that cannot be reached leaves the permission pending (with the
 * reason) and is tried again.
 */
const POLL_MS = 400;
const MAX_RESIGNS = 3;
let port: ConsentChainPort = relayerConsentChain;
let running: Promise<void> | undefined;
let again = false;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Tests hand in their own port. */
export function setConsentChain(next: ConsentChainPort): void {
  port = next;
}

const inFlight = (p: StoredPermission) => p.chain === 'granting' || p.chain === 'revoking';

export function runConsentTracker(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await advanceAll();
      } while (again);
    } catch (error) {
      logError('consent', 'tracker run', error);
    } finally {
      running = undefined;
    }
  })();
  return running;
}

async function advanceAll(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (!(await unlocked())) return;
  let busy = false;
  for (const site of await loadSites()) {
    for (const p of site.permissions.filter(inFlight)) {
      const next = await advance(site.origin, p);
      if (next !== p) {
        const saved = await updateSite(site.origin, (s) => s && { ...s, permissions: s.permissions.map((q) => (same(q, p) ? next : q)) });
        if (next.status !== p.status || next.chain !== p.chain || next.txHash !== p.txHash || next.reason !== p.reason) notifySite(saved);
      }
      if (inFlight(next)) busy = true;
    }
    await forgetIfDisconnected(site.origin);
  }
  if (busy) timer = setTimeout(() => void runConsentTracker(), POLL_MS);
}

/** Same permission row, and nobody replaced it while we were on the network. */
const same = (a: StoredPermission, b: StoredPermission) => a.grantee === b.grantee && a.grantedAt === b.grantedAt && a.updatedAt === b.updatedAt;

async function advance(origin: string, p: StoredPermission): Promise<StoredPermission> {
  const now = Date.now();
  try {
    const result = p.relayId ? await port.status(p.relayId) : await submit(origin, p);
    return applyResult(p, result, now);
  } catch (error) {
    // The chain could not be read to sign (unavailable): keep waiting, say why.
    return { ...p, reason: `Waiting for the network: ${(error as Error).message}`.slice(0, 500), updatedAt: now };
  }
}

async function submit(origin: string, p: StoredPermission): Promise<RelayResult> {
  const account = await siteAccount(origin, p.grantee);
  if (p.chain === 'revoking') return port.revoke(account, p.grantee);
  return port.grant(account, { grantee: p.grantee, mask: p.mask, expiresAt: p.expiresAt, purpose: p.purpose, purposeSalt: p.purposeSalt });
}

/** Contract errors that a fresh signature (new epoch or nonce read now) gets past. */
const RESIGN = /StaleEpoch|NonceAlreadyUsed|SignatureExpired|Expired/;

function applyResult(p: StoredPermission, result: RelayResult, now: number): StoredPermission {
  const granting = p.chain === 'granting';
  const refusal = !result.ok ? (result.error.revert ?? '') : result.request.status === 'failed' ? (result.request.error ?? '') : '';
  if (refusal && RESIGN.test(refusal) && (p.resigns ?? 0) < MAX_RESIGNS) {
    // Signed against a state that changed meanwhile: sign again against the chain as it is now.
    return { ...p, relayId: undefined, resigns: (p.resigns ?? 0) + 1, reason: `Signing again (${refusal})`, updatedAt: now };
  }
  if (!result.ok) {
    if (result.retryable) return { ...p, reason: `Waiting for the relayer: ${result.error.message}`.slice(0, 500), updatedAt: now };
    const reason = `The network refused it: ${result.error.revert ?? result.error.message}`.slice(0, 500);
    return granting ? { ...p, status: 'failed', chain: 'failed', relayId: undefined, reason, updatedAt: now } : { ...p, chain: 'failed', reason, updatedAt: now };
  }
  const r = result.request;
  if (r.status === 'pending') {
    return r.id === p.relayId && r.txHash === p.txHash && !p.reason ? p : { ...p, relayId: r.id, ...(r.txHash ? { txHash: r.txHash } : {}), reason: undefined, updatedAt: now };
  }
  if (r.status === 'confirmed') {
    return granting
      ? { ...p, status: 'active', chain: 'granted', relayId: undefined, resigns: 0, txHash: r.txHash, reason: undefined, updatedAt: now }
      : { ...p, chain: 'revoked', relayId: undefined, resigns: 0, txHash: r.txHash, reason: undefined, updatedAt: now };
  }
  const reason = `The network refused it: ${r.error ?? r.reason ?? 'unknown reason'}`.slice(0, 500);
  return granting ? { ...p, status: 'failed', chain: 'failed', relayId: undefined, reason, updatedAt: now } : { ...p, chain: 'failed', relayId: undefined, reason, updatedAt: now };
}

/** A disconnected site is forgotten once none of its permissions is still on its way. */
async function forgetIfDisconnected(origin: string): Promise<void> {
  await serialConsent(async () => {
    const site = await loadSite(origin);
    if (site?.disconnectedAt && !site.permissions.some(inFlight)) await deleteSite(origin);
  });
}
