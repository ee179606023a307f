import { UiError } from '../../../shared/protocol/ui-errors';
import { loadSite, loadSites, updateSite } from '../../consent/store';
import { renewPermission } from '../../consent/renew';
import { retryPermission } from '../../consent/retry';
import { revokePermissions, syncConsent } from '../../consent/sync';
import { consentSummary } from '../../consent/views';
import { sendToOrigin } from '../../consent/events';
import { unblockSite } from '../../approvals/blocked';
import type { Procedures } from './index';

/** The consent manager (Sharing tab, popup summary): list, revoke one, disconnect, revoke everything. */
export const consentProcedures: Procedures<'consent.sites' | 'consent.revoke' | 'consent.retry' | 'consent.disconnect' | 'consent.revokeAll' | 'consent.unblock' | 'consent.renew'> = {
  'consent.renew': async ({ origin, grantee, categories }) => {
    const site = await loadSite(origin);
    if (!site || site.disconnectedAt) throw new UiError('not_found', 'That site is no longer connected.');
    const current = site.permissions.find((p) => p.grantee.toLowerCase() === grantee.toLowerCase());
    const renewed = await renewPermission(origin, current, categories);
    void syncConsent();
    return { expiresAt: renewed.expiresAt };
  },
  'consent.unblock': async ({ origin }) => {
    await unblockSite(origin);
    return { done: true };
  },
  'consent.sites': async () => {
    void syncConsent();
    return consentSummary();
  },
  'consent.revoke': async ({ origin, grantee }) => {
    if (!(await loadSite(origin))) throw new UiError('not_found', 'That site is no longer connected.');
    await revokePermissions(origin, grantee);
    void syncConsent();
    return { done: true };
  },
  'consent.retry': async ({ origin, grantee }) => {
    await retryPermission(origin, grantee);
    void syncConsent();
    return { done: true };
  },
  'consent.disconnect': async ({ origin }) => {
    if (!(await loadSite(origin))) throw new UiError('not_found', 'That site is no longer connected.');
    await disconnect(origin);
    void syncConsent();
    return { done: true };
  },
  'consent.revokeAll': async () => {
    for (const site of await loadSites()) await revokePermissions(site.origin);
    void syncConsent();
    return { done: true };
  },
};

/** Forget the site: revoke everything it holds (locally now, on chain next), then it is not connected. */
async function disconnect(origin: string): Promise<void> {
  await revokePermissions(origin);
  await updateSite(origin, (s) => s && { ...s, disconnectedAt: Date.now() });
  sendToOrigin(origin, 'disconnect');
}
