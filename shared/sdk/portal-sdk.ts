/**
 * The SecureMed portal SDK: what a web page (a patient portal, a doctor's EHR) uses to find and talk
 * to the extension. No dependencies; `npm run build:sdk` writes it as one small ES module with type
 * declarations to dist/sdk/ for a portal to vendor.
 *
 *   const found = await findSecureMed();
 *   if (!found.installed) return showInstallHint(found.message);
 *   await found.client.connect();
 *   const labs = await found.client.searchAll({ _type: 'Observation', category: 'laboratory' });
 */
export { SecureMedClient, SecureMedError, type Eip1193Like, type EventData, type PagingLimits, type Permission, type ProviderInfo, type SubmitParams, type SubmitRejection, type SubmitResult } from './client';
export { discoverSecureMed, findSecureMed, NOT_INSTALLED_MESSAGE, type Discovery, type DiscoveryOptions } from './discovery';
export { nextParams, type FhirResource, type SearchParams, type SearchsetBundle, type SearchsetEntry } from './fhir';
export type { PageEvent } from '../protocol/channel';

/**
 * The EIP-1193 codes SecureMed answers with: the protocol's own table (one table, not two), so a new
 * code reaches portals without a second edit. `ErrorCodes.userRejected` (4001), `unauthorized` (4100),
 * `disconnected` (4900: locked, or no vault yet), `requestPending` (-32002), `invalidParams` (-32602), …
 */
export { ProviderErrorCode as ErrorCodes } from '../protocol/errors';
