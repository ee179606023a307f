import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { PageMethod } from '../../shared/protocol/page';
import { connect } from './connect';
import type { PageCallContext, PageHandler } from './context';
import { status } from './status';

/** Every method a page may call, one handler each. Anything else is 4200. */
const handlers: Record<PageMethod, PageHandler> = {
  securemed_connect: connect,
  securemed_status: status,
};

export function handlePageCall(method: string, ctx: PageCallContext): Promise<unknown> {
  const handler = (handlers as Record<string, PageHandler | undefined>)[method];
  if (!Object.hasOwn(handlers, method) || !handler) {
    return Promise.reject(new ProviderRpcError(ProviderErrorCode.unsupportedMethod, `Unsupported method: ${method.slice(0, 64)}`));
  }
  return handler(ctx);
}
