import { z } from 'zod';
import { PageRequest } from './page';
import { Limits } from './limits';

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

/** extension pages (popup, vault, approve) → background, with runtime.sendMessage. */
export const UiRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ui.status') }),
  z.strictObject({ type: z.literal('ui.approval.get'), approvalId: z.string().uuid() }),
  z.strictObject({
    type: z.literal('ui.approval.decide'),
    approvalId: z.string().uuid(),
    approve: z.boolean(),
  }),
]);
export type UiRequest = z.infer<typeof UiRequest>;
export type UiRequestType = UiRequest['type'];

/** What every UI request resolves to: a result or a human-readable error. */
export type UiResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: string };
