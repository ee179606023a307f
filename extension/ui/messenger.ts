import { browser } from 'wxt/browser';
import type { UiRequest, UiResponse } from '../../shared/protocol/runtime';

/** A refusal from the background, with per-field messages when a form was at fault. */
export class UiError extends Error {
  constructor(message: string, readonly fields: Record<string, string> = {}) {
    super(message);
    this.name = 'UiError';
  }
}

/**
 * How extension pages ask the background for something. Pages never hold keys: they get views.
 * Throws a UiError with a human-readable message when the background refuses.
 */
export async function ask<T>(request: UiRequest): Promise<T> {
  const response = (await browser.runtime.sendMessage(request)) as UiResponse<T> | undefined;
  if (!response) throw new UiError('SecureMed is starting up. Please try again.');
  if (!response.ok) throw new UiError(response.error, response.fields);
  return response.result;
}
