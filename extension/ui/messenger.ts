import { browser } from 'wxt/browser';
import type { UiReply, UiRequest, UiRequestType, UiResponse } from '../../shared/protocol/runtime';
import { UiError } from '../../shared/protocol/ui-errors';

export { UiError };
export type { UiErrorCode } from '../../shared/protocol/ui-errors';

const RESTARTING = 'SecureMed is starting up. Please try again.';

/**
 * How extension pages ask the background for something. Pages never hold keys: they get views. The
 * reply's type follows from the request's `type` (shared/protocol/ui/<domain>.ts declares it), so
 * `ask({ type: 'records.list', offset: 0, limit: 50 })` is a Promise<ListPage> with no type argument.
 * Throws a UiError when the background refuses: pages switch on `error.code` and show `error.message`.
 */
export async function ask<T extends UiRequestType>(request: { type: T } & Extract<UiRequest, { type: T }>): Promise<UiReply<T>> {
  let response: UiResponse<UiReply<T>> | undefined;
  try {
    response = (await browser.runtime.sendMessage(request)) as UiResponse<UiReply<T>> | undefined;
  } catch (error) {
    throw transportError(error);
  }
  // No answer at all: no listener yet, the worker is starting.
  if (!response) throw new UiError('restarting', RESTARTING);
  if (!response.ok) throw new UiError(response.code, response.error, response.fields);
  return response.result;
}

/**
 * sendMessage itself failed, so the background never answered. Chrome's own wording is the only signal
 * for "the worker went away" (no listener, or it stopped before answering); it is read here, once, so
 * pages only see the code.
 */
function transportError(error: unknown): UiError {
  const message = error instanceof Error ? error.message : String(error);
  if (/Receiving end does not exist|message port closed|message channel closed/i.test(message)) return new UiError('restarting', RESTARTING);
  return new UiError('internal', message);
}
