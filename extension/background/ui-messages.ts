import { browser } from 'wxt/browser';
import { UiRequest, type UiResponse } from '../../shared/protocol/runtime';
import { isExtensionPage } from './sender';
import { uiProcedures } from './ui-procedures';

/**
 * Requests from extension pages. sendResponse + `return true` is the pattern Chrome's MV3 runtime
 * supports for async answers. Anything not from our own pages, or not matching the schema, is refused.
 */
export function listenForUi(): void {
  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    if (!isExtensionPage(sender)) return false;
    void handleUiMessage(raw).then(sendResponse);
    return true;
  });
}

export async function handleUiMessage(raw: unknown): Promise<UiResponse> {
  const parsed = UiRequest.safeParse(raw);
  if (!parsed.success) return { ok: false, error: 'Malformed request' };
  try {
    const procedure = uiProcedures[parsed.data.type] as (req: UiRequest) => Promise<unknown>;
    return { ok: true, result: await procedure(parsed.data) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'Something went wrong' };
  }
}
