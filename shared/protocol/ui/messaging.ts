import { z } from 'zod';
import { MessageContent } from '../../messaging/content';

/** Patient–doctor messaging (extension/messaging/, procedures/messaging.ts). */
const Address = z.string().trim().regex(/^0x[0-9a-fA-F]{40}$/, 'Enter an address: 0x followed by 40 hexadecimal characters.');
const ThreadId = z.string().regex(/^[0-9a-f]{40}$/);
const MessageId = z.string().regex(/^[0-9a-f]{64}$/);

export const messagingRequests = [
  /** Counts for the popup (and a nudge to catch up). */
  z.strictObject({ type: z.literal('messaging.summary') }),
  z.strictObject({ type: z.literal('messaging.threads') }),
  /** One page of a thread, newest last; `before` (ms) pages back. */
  z.strictObject({ type: z.literal('messaging.thread'), threadId: ThreadId, before: z.number().int().positive().optional() }),
  z.strictObject({ type: z.literal('messaging.start'), peer: Address, name: z.string().trim().max(80).optional() }),
  z.strictObject({ type: z.literal('messaging.send'), threadId: ThreadId, content: MessageContent }),
  z.strictObject({ type: z.literal('messaging.retry'), messageId: MessageId }),
  z.strictObject({ type: z.literal('messaging.read'), threadId: ThreadId }),
  /** 'unblock' moves a blocked conversation back to Requests; what was sent while blocked stays dropped. */
  z.strictObject({ type: z.literal('messaging.consent'), threadId: ThreadId, decision: z.enum(['accept', 'block', 'unblock']) }),
  z.strictObject({ type: z.literal('messaging.rename'), threadId: ThreadId, name: z.string().max(80) }),
  /** The counterparty's verified-provider status from the on-chain directory. */
  z.strictObject({ type: z.literal('messaging.verification'), peer: Address }),
] as const;

/**
 * background → extension pages (runtime.sendMessage): "messaging changed, ask again". Carries nothing
 * private; pages parse it with this schema and ignore anything else.
 */
export const MESSAGING_CHANGED = 'messaging.changed';
export const MessagingChanged = z.strictObject({ type: z.literal(MESSAGING_CHANGED) });
