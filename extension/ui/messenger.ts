import { browser } from 'wxt/browser';
import type { UiRequest, UiResponse } from '../../shared/protocol/runtime';

/**
 * How extension pages ask the background for something. Pages never hold keys: they get views.
 * Throws an Error with a human-readable message when the background refuses.
 */
export async function ask<T>(request: UiRequest): Promise<T> {
  const response = (await browser.runtime.sendMessage(request)) as UiResponse<T> | undefined;
  if (!response) throw new Error('SecureMed is starting up. Please try again.');
  if (!response.ok) throw new Error(response.error);
  return response.result;
}
