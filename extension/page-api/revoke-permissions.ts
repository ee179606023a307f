import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { RevokePermissionsParams } from '../../shared/protocol/page';
import { pagePermissions } from '../consent/permissions';
import { connectedOrigins, loadSite } from '../consent/store';
import { revokePermissions as revoke } from '../consent/sync';
import { unlocked } from '../keys/unlocked';
import type { PageHandler } from './context';

/**
 * securemed_revokePermissions: a site gives up access (one grantee, or all). Takes effect locally at
 * once, on chain through the transaction queue. No approval needed: giving up access never hurts the patient.
 */
export const revokePermissions: PageHandler = async ({ origin, params }) => {
  const parsed = RevokePermissionsParams.safeParse(params);
  if (!parsed.success) throw new ProviderRpcError(ProviderErrorCode.invalidParams, 'Invalid params: expected { grantee?: 0x address }');
  if (!(await connectedOrigins()).includes(origin)) throw new ProviderRpcError(ProviderErrorCode.unauthorized, 'This site is not connected');
  if (!(await unlocked())) throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked');
  const site = await loadSite(origin);
  if (!site || site.disconnectedAt) throw new ProviderRpcError(ProviderErrorCode.unauthorized, 'This site is not connected');
  const after = await revoke(origin, parsed.data?.grantee);
  return { permissions: pagePermissions(after) };
};
