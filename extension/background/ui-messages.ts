import { browser } from 'wxt/browser';
import type { z } from 'zod';
import { UiRequest, type UiResponse } from '../../shared/protocol/runtime';
import { toUiErrorReply, type UiErrorReply } from '../../shared/protocol/ui-errors';
import { logError } from '../logging/log';
import { isExtensionPage } from './sender';
import { uiProcedures } from './procedures';

/**
 * Requests from extension pages. sendResponse + `return true` is the pattern Chrome's MV3 runtime
 * supports for async answers. Anything not from our own pages is ignored; anything not matching the
 * schema is refused with code `invalid`.
 */
// Auto-lock is postponed only by 'ui.activity', which pages send on real input in a visible, focused
// page (extension/ui/activity.ts). Other requests never count: a hidden Messages tab reading each
// arriving message, or a page polling, must not keep the vault open.

export function listenForUi(): void {
  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    if (!isExtensionPage(sender)) return false;
    void handleUiMessage(raw).then(sendResponse);
    return true;
  });
}

export async function handleUiMessage(raw: unknown): Promise<UiResponse> {
  const parsed = UiRequest.safeParse(raw);
  if (!parsed.success) return malformed(parsed.error);
  try {
    const procedure = uiProcedures[parsed.data.type] as (req: UiRequest) => Promise<unknown>;
    return { ok: true, result: await procedure(parsed.data) };
  } catch (error) {
    const reply = toUiErrorReply(error);
    // The page gets a generic message; the support log keeps which request failed and the error's kind
    // (never its message or the request's data, which may be health data).
    if (reply.code === 'internal') logError('ui', `${parsed.data.type} failed`, error);
    return reply;
  }
}

/**
 * A request the schema refuses. The schema's own messages go back per field (field path → message), so a
 * page can show the one it wrote for people (e.g. the address format) instead of guessing from text.
 */
function malformed(error: z.ZodError): UiErrorReply {
  const fields: Record<string, string> = {};
  for (const issue of error.issues.slice(0, 20)) {
    const path = issue.path.map(String).join('.');
    if (path && !(path in fields)) fields[path] = issue.message;
  }
  return { ok: false, code: 'invalid', error: 'Malformed request', ...(Object.keys(fields).length ? { fields } : {}) };
}
