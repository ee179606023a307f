import { requestApproval } from '../approvals/approvals';
import { newSite } from '../consent/permissions';
import { loadSite, updateSite } from '../consent/store';
import { sendToOrigin } from '../consent/events';
import { unlocked } from '../keys/unlocked';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { PageHandler } from './context';

/**
 * securemed_connect: the patient decides whether this site may talk to SecureMed at all. The site
 * gets its own pairwise account, derived from the patient's seed and the site's origin, so two sites
 * cannot tell they serve the same patient. Nothing is shared by connecting. Connected sites are vault
 * data (consent/store.ts).
 */
export const connect: PageHandler = async ({ origin, requestId }) => {
  const known = (await unlocked()) ? await loadSite(origin) : undefined;
  if (known && !known.disconnectedAt) return { connected: true, origin, address: known.address };
  // Uniform until the patient approves this site: with or without a vault (or locked) the site sees the
  // same thing, a window and then yes or 4001. The window asks to unlock first, or, with no vault,
  // offers to set one up. A site must not learn whether this browser holds a health vault.
  const outcome = await requestApproval(origin, requestId, 'connect', {});
  if (outcome.decision !== 'approved') {
    throw new ProviderRpcError(ProviderErrorCode.userRejected, outcome.cancelled ? `Request cancelled: ${outcome.cancelled}` : 'The patient declined the connection');
  }
  if (!(await unlocked())) throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked');
  const base = await newSite(origin);
  const site = await updateSite(origin, (s) => (s && !s.disconnectedAt ? { ...s, lastUsedAt: Date.now() } : base));
  sendToOrigin(origin, 'connect', { address: site!.address });
  return { connected: true, origin, address: site!.address };
};
