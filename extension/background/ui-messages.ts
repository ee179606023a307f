import { browser } from 'wxt/browser';
import { FieldErrors, UiRequest, type UiRequestType, type UiResponse } from '../../shared/protocol/runtime';
import { touch } from '../keys/vault';
import { isExtensionPage } from './sender';
import { uiProcedures } from './procedures';

/**
 * Requests from extension pages. sendResponse + `return true` is the pattern Chrome's MV3 runtime
 * supports for async answers. Anything not from our own pages, or not matching the schema, is refused.
 */
/** Requests that only look: opening a page is not activity, so it does not postpone auto-lock. */
const PASSIVE = new Set<UiRequestType>([
  'ui.status',
  'vault.state',
  'settings.get',
  'settings.chainStatus',
  'ui.approval.get',
  'records.summary',
  // The Messages page re-reads these whenever a message arrives: arrivals must not keep the vault open.
  'messaging.summary',
  'messaging.threads',
  'messaging.thread',
  'messaging.verification',
]);

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
    if (!PASSIVE.has(parsed.data.type)) void touch();
    const procedure = uiProcedures[parsed.data.type] as (req: UiRequest) => Promise<unknown>;
    return { ok: true, result: await procedure(parsed.data) };
  } catch (error) {
    if (error instanceof FieldErrors) return { ok: false, error: error.message, fields: error.fields };
    return { ok: false, error: error instanceof Error ? error.message : 'Something went wrong' };
  }
}
