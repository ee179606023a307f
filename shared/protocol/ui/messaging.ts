import { z } from 'zod';
import { MessageContent, type ReceivedContent } from '../../messaging/content';
import type { Done } from './core';

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
  /** A fresh identity for one relationship, as an invite link (shared/messaging/invite.ts); `name` is the patient's label. */
  z.strictObject({ type: z.literal('messaging.invite'), name: z.string().trim().max(80).optional() }),
  /** Start a conversation from an invite link someone showed us (the background parses and checks it). */
  z.strictObject({ type: z.literal('messaging.join'), invite: z.string().trim().min(1).max(1000), name: z.string().trim().max(80).optional() }),
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

// ---- what the background answers: decrypted views for display, no keys, no wire bytes ----

export type Consent = 'allowed' | 'request' | 'blocked';
export type Delivery = 'sending' | 'sent' | 'failed' | 'received';
/** The counterparty's status in the on-chain provider directory; 'unavailable' when the chain does not answer. */
export type Verification = 'verified' | 'unverified' | 'unavailable';
export type ConnectionState = 'locked' | 'connecting' | 'online' | 'offline';

export interface Connection {
  state: ConnectionState;
  error?: string;
}

export interface ThreadView {
  id: string;
  peer: string;
  name?: string;
  consent: Consent;
  unread: number;
  lastMessageAt: number;
  preview?: string;
}

export interface MessageView {
  id: string;
  mine: boolean;
  sentAt: number;
  content: ReceivedContent;
  delivery: Delivery;
}

/** Blocked conversations only come as who they are (for Unblock), never with their messages. */
export interface BlockedView {
  id: string;
  peer: string;
  name?: string;
}

/** Counts for the popup; a locked vault answers state 'locked' and zeros rather than an error. */
export type MessagingSummary = Connection & { unread: number; requests: number };

export interface ThreadsView {
  connection: Connection;
  /** The patient's main messaging address (conversations the patient starts use their own, see ThreadPage.me). */
  me: string;
  threads: ThreadView[];
  blocked: BlockedView[];
}

/** One page of a thread, newest last. */
export interface ThreadPage {
  thread: ThreadView;
  messages: MessageView[];
  hasMore: boolean;
  /**
   * The patient's address in this conversation, as the counterparty sees it: `private` when it is a
   * relationship identity made for this counterparty only, otherwise the main messaging address.
   */
  me: { address: string; private: boolean };
}

/** What each request above answers. Requests other than summary are refused with code `locked` while locked. */
export interface MessagingReplies {
  'messaging.summary': MessagingSummary;
  'messaging.threads': ThreadsView;
  'messaging.thread': ThreadPage;
  'messaging.start': { threadId: string };
  'messaging.invite': { link: string; expiresAt: number };
  'messaging.join': { threadId: string };
  'messaging.send': { delivery: Delivery };
  'messaging.retry': { delivery: Delivery };
  'messaging.read': Done;
  'messaging.consent': Done;
  'messaging.rename': Done;
  'messaging.verification': { status: Verification };
}
