import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { SubmitParams } from '../../shared/protocol/page';
import { runSubmit } from '../submit/run';
import type { PageHandler } from './context';

/**
 * securemed_submit: a site with write scope offers records (resources or a Bundle); the patient reviews
 * them in the approval window and keeps all, some or none; kept ones are stored encrypted, each with a
 * FHIR Provenance naming the site (extension/submit/). The user gesture was checked by the bridge.
 */
export const submit: PageHandler = async ({ origin, requestId, params }) => {
  const parsed = SubmitParams.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderRpcError(ProviderErrorCode.invalidParams, `Invalid params: ${issue?.path.join('.') || 'params'} ${issue?.message ?? ''}`.trim());
  }
  return runSubmit(origin, requestId, parsed.data);
};
