import { requestApproval } from '../approvals/approvals';
import { addConnectedSite, isConnected } from '../sites/connected-sites';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { PageHandler } from './context';

/**
 * securemed_connect: the patient decides whether this site may talk to SecureMed at all.
 * Nothing is shared by connecting; permissions are asked for separately.
 */
export const connect: PageHandler = async ({ origin, requestId }) => {
  if (await isConnected(origin)) return { connected: true, origin };
  const decision = await requestApproval(origin, requestId, 'connect', {});
  if (decision !== 'approved') {
    throw new ProviderRpcError(ProviderErrorCode.userRejected, 'The patient declined the connection');
  }
  await addConnectedSite(origin);
  return { connected: true, origin };
};
