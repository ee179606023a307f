import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { SearchParams } from '../../shared/protocol/page';
import { runSearch } from '../fhir-search/run';
import type { PageHandler } from './context';

/**
 * securemed_search: FHIR search over the records this site's permission covers, answered as a
 * searchset Bundle (extension/fhir-search/). Needs no approval window: the patient decided when
 * granting; the permission is checked (locally, then on chain) before anything is decrypted.
 */
export const search: PageHandler = async ({ origin, params }) => {
  const parsed = SearchParams.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderRpcError(ProviderErrorCode.invalidParams, `Invalid params: ${issue?.path.join('.') || 'params'} ${issue?.message ?? ''}`.trim());
  }
  return runSearch(origin, parsed.data ?? {});
};
