import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { consentNow, pagePermissions } from '../consent/permissions';
import { connectedOrigins, loadSite } from '../consent/store';
import { unlocked } from '../keys/unlocked';
import type { PageHandler } from './context';

/** securemed_getPermissions: what this site holds, nothing about other sites. Needs an open vault. */
export const getPermissions: PageHandler = async ({ origin }) => {
  // A site the patient has not connected learns nothing, not even whether the vault is locked or exists.
  if (!(await connectedOrigins()).includes(origin)) throw new ProviderRpcError(ProviderErrorCode.unauthorized, 'This site is not connected');
  if (!(await unlocked())) throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked');
  const site = await loadSite(origin);
  return { permissions: site && !site.disconnectedAt ? pagePermissions(site, await consentNow()) : [] };
};
