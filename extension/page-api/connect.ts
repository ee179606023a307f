import { requestApproval } from '../approvals/approvals';
import { derivePairwiseAccount } from '../../shared/crypto/identity';
import { unlocked } from '../keys/unlocked';
import { readVault } from '../keys/vault-store';
import { addConnectedSite, connectedSite } from '../sites/connected-sites';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { PageHandler } from './context';

/**
 * securemed_connect: the patient decides whether this site may talk to SecureMed at all. The site
 * gets its own pairwise account, derived from the patient's seed and the site's origin, so two sites
 * cannot tell they serve the same patient. Nothing is shared by connecting.
 */
export const connect: PageHandler = async ({ origin, requestId }) => {
  const known = await connectedSite(origin);
  if (known) return { connected: true, origin, address: known.address };
  if (!(await readVault())) {
    throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is not set up yet: the patient has no vault in this browser');
  }
  // The approval window asks the patient to unlock first when needed.
  const decision = await requestApproval(origin, requestId, 'connect', {});
  if (decision !== 'approved') {
    throw new ProviderRpcError(ProviderErrorCode.userRejected, 'The patient declined the connection');
  }
  const session = await unlocked();
  if (!session) throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked');
  const { address } = derivePairwiseAccount(session.seed, origin);
  await addConnectedSite({ origin, address, connectedAt: Date.now() });
  return { connected: true, origin, address };
};
