import { z } from 'zod';
import { PageRequest } from './page';
import { Limits } from './limits';
import { coreRequests } from './ui/core';
import { messagingRequests } from './ui/messaging';
import { recordsRequests } from './ui/records';
import { settingsRequests } from './ui/settings';
import { vaultRequests } from './ui/vault';

/**
 * Messages between extension contexts (runtime ports and runtime.sendMessage).
 * See README.md in this folder for who talks to whom.
 */

/** Port name the bridge content script opens to the background. */
export const PAGE_PORT = 'securemed-page';

/** bridge → background over the page port. `page.request` is re-sent after a worker restart. */
export const BridgeToBackground = z.strictObject({
  type: z.literal('page.request'),
  id: z.string().min(1).max(Limits.requestIdChars),
  request: PageRequest,
});
export type BridgeToBackground = z.infer<typeof BridgeToBackground>;

/**
 * extension pages (popup, vault, approve, settings) → background, with runtime.sendMessage.
 * One file per domain under ui/, so each domain's requests sit beside each other and nothing else.
 */
export const UiRequest = z.discriminatedUnion('type', [
  ...coreRequests,
  ...vaultRequests,
  ...settingsRequests,
  ...recordsRequests,
  ...messagingRequests,
]);
export type UiRequest = z.infer<typeof UiRequest>;
export type UiRequestType = UiRequest['type'];

/** What every UI request resolves to: a result or a human-readable error. */
export type UiResponse<T = unknown> =
  | { ok: true; result: T }
  | { ok: false; error: string; fields?: Record<string, string> };

/** Thrown by a background procedure to point at specific form fields (field path → message). */
export class FieldErrors extends Error {
  constructor(message: string, readonly fields: Record<string, string>) {
    super(message);
    this.name = 'FieldErrors';
  }
}
