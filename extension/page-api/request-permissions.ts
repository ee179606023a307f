import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { RequestPermissionsParams } from '../../shared/protocol/page';
import { fingerprintOf, requestApproval } from '../approvals/approvals';
import { askView, grantedMask, keptScopes, parseAskScopes } from '../consent/ask';
import { verifyGranteeBinding } from '../consent/binding';
import { siteAccount, toPagePermission } from '../consent/permissions';
import { pendingPermission, storeAndQueueGrant } from '../consent/renew';
import { unlocked } from '../keys/unlocked';
import type { PageHandler } from './context';

/**
 * securemed_requestPermissions: a site asks for access to categories of records, for a grantee bound
 * to its origin, for a purpose, for some days. The patient decides in the approval window (and may
 * narrow); on yes the grant is signed by the site's pairwise account and sent through the relayer, and
 * the page gets `status: 'pending'`, then permissionsChanged when the chain confirms (or refuses).
 * The user gesture was checked by the bridge (bridge/bridge.ts) before this ran.
 */
export const requestPermissions: PageHandler = async ({ origin, requestId, params }) => {
  const parsed = RequestPermissionsParams.safeParse(params);
  if (!parsed.success) {
    throw new ProviderRpcError(ProviderErrorCode.invalidParams, `Invalid params: ${parsed.error.issues[0]?.path.join('.') || 'params'} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  }
  const ask = parsed.data;
  const { mask: requested } = parseAskScopes(ask.scopes);
  // No vault is not told apart from a vault (connect.ts): the window offers to set one up.
  await verifyGranteeBinding(origin, ask.grantee);

  // The grant below is built from this call's params: a re-sent id must ask for exactly what the window shows.
  const outcome = await requestApproval(origin, requestId, 'permissions', { ask: await askView(ask) }, { fingerprint: await fingerprintOf(ask) });
  if (outcome.decision !== 'approved') {
    throw new ProviderRpcError(ProviderErrorCode.userRejected, outcome.cancelled ? `Request cancelled: ${outcome.cancelled}` : 'The patient declined the request');
  }
  if (!(await unlocked())) throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked');

  const mask = grantedMask(requested, outcome.choice);
  const days = Math.min(outcome.choice?.durationDays ?? ask.durationDays, ask.durationDays);
  const now = Date.now();
  const patient = (await siteAccount(origin, ask.grantee)).address;
  const permission = await pendingPermission({ grantee: ask.grantee, patient, scopes: keptScopes(ask.scopes, mask), mask, purpose: ask.purpose }, days, now);
  // One row per grantee: a new grant replaces the previous one (consent/renew.ts, shared with renew).
  await storeAndQueueGrant(origin, permission, now);
  return toPagePermission(origin, permission);
};
