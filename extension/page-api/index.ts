import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { PageMethod } from '../../shared/protocol/page';
import { isAllowedPageOrigin } from '../consent/binding';
import { connect } from './connect';
import type { PageCallContext, PageHandler } from './context';
import { getPermissions } from './get-permissions';
import { requestPermissions } from './request-permissions';
import { revokePermissions } from './revoke-permissions';
import { search } from './search';
import { status } from './status';
import { submit } from './submit';

/** Every method a page may call, one handler each. Anything else is 4200. */
const handlers: Record<PageMethod, PageHandler> = {
  securemed_connect: connect,
  securemed_status: status,
  securemed_requestPermissions: requestPermissions,
  securemed_getPermissions: getPermissions,
  securemed_revokePermissions: revokePermissions,
  securemed_search: search,
  securemed_submit: submit,
};

export function handlePageCall(method: string, ctx: PageCallContext): Promise<unknown> {
  const handler = (handlers as Record<string, PageHandler | undefined>)[method];
  if (!Object.hasOwn(handlers, method) || !handler) {
    return Promise.reject(new ProviderRpcError(ProviderErrorCode.unsupportedMethod, `Unsupported method: ${method.slice(0, 64)}`));
  }
  // Page origins are https, or http on loopback for development (DESIGN.md "Trust boundaries").
  if (!isAllowedPageOrigin(ctx.origin)) {
    return Promise.reject(new ProviderRpcError(ProviderErrorCode.unauthorized, 'SecureMed answers only https pages (or http on this computer)'));
  }
  return handler(ctx);
}
