import { z } from 'zod';
import type { UiErrorReply } from './ui-errors';
import { anchoringRequests, type AnchoringReplies } from './ui/anchoring';
import { auditRequests, type AuditReplies } from './ui/audit';
import { chainRequests, type ChainReplies } from './ui/chain';
import { consentRequests, type ConsentReplies } from './ui/consent';
import { coreRequests, type CoreReplies } from './ui/core';
import { messagingRequests, type MessagingReplies } from './ui/messaging';
import { recordsRequests, type RecordsReplies } from './ui/records';
import { replicasRequests, type ReplicasReplies } from './ui/replicas';
import { settingsRequests, type SettingsReplies } from './ui/settings';
import { submitRequests, type SubmitReplies } from './ui/submit';
import { vaultRequests, type VaultReplies } from './ui/vault';

/**
 * Messages between extension contexts (runtime ports and runtime.sendMessage).
 * See README.md in this folder for who talks to whom.
 */

// The page port (PAGE_PORT, BridgeToBackground) lives with the rest of the page channel: page.ts.

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
  ...chainRequests,
  ...replicasRequests,
  ...consentRequests,
  ...anchoringRequests,
  ...auditRequests,
  ...submitRequests,
]);
export type UiRequest = z.infer<typeof UiRequest>;
export type UiRequestType = UiRequest['type'];

/**
 * What each UI request answers, declared beside its schema in ui/<domain>.ts. The background's
 * procedures must return exactly UiReply<type> (extension/background/procedures/index.ts), and ask()
 * (extension/ui/messenger.ts) infers it from the request, so the two sides cannot drift apart.
 */
export type UiReplies = CoreReplies & VaultReplies & SettingsReplies & RecordsReplies & MessagingReplies & ChainReplies & ReplicasReplies & ConsentReplies & AnchoringReplies & AuditReplies & SubmitReplies;
export type UiReply<T extends UiRequestType> = UiReplies[T];
/** The request of one type, e.g. UiRequestOf<'records.list'>. */
export type UiRequestOf<T extends UiRequestType> = Extract<UiRequest, { type: T }>;

// Compile-time: every request type has a reply (else UiReply does not compile) and every reply a request.
type Expect<T extends true> = T;
export type EveryReplyHasARequest = Expect<Exclude<keyof UiReplies, UiRequestType> extends never ? true : false>;

/** What every UI request resolves to: its reply, or a refusal with a code and a human-readable message. */
export type UiResponse<T = unknown> = { ok: true; result: T } | UiErrorReply;
