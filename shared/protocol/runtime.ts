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

const Passphrase = z.string().max(1024);

/** extension pages (popup, vault, approve) → background, with runtime.sendMessage. */
export const UiRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ui.status') }),
  // vault life cycle (extension/keys/)
  z.strictObject({ type: z.literal('vault.state') }),
  z.strictObject({ type: z.literal('vault.create.begin') }),
  z.strictObject({
    type: z.literal('vault.create.finish'),
    passphrase: Passphrase,
    confirmations: z.array(z.strictObject({ index: z.number().int().min(0).max(23), word: z.string().max(32) })).min(1).max(24),
  }),
  z.strictObject({ type: z.literal('vault.create.cancel') }),
  z.strictObject({ type: z.literal('vault.restore'), phrase: z.string().max(600), passphrase: Passphrase }),
  z.strictObject({ type: z.literal('vault.unlock'), passphrase: Passphrase }),
  z.strictObject({ type: z.literal('vault.lock') }),
  z.strictObject({ type: z.literal('vault.wipe'), confirm: z.literal('ERASE') }),
  // settings (extension/settings/)
  z.strictObject({ type: z.literal('settings.get') }),
  z.strictObject({ type: z.literal('settings.save'), settings: z.unknown(), confirmNetworkChange: z.boolean() }),
  z.strictObject({ type: z.literal('settings.chainStatus'), rpcUrl: z.string().max(2048).optional(), chainId: z.number().optional() }),
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
