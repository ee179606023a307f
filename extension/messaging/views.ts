import type { ReceivedContent } from '../../shared/messaging/content';
import { counts } from './changes';
import { allThreads, pageMessages, readThread, type Consent, type Delivery } from './history';
import { connectionState, LockedError, messagingKeys, type ConnectionState } from './session';

/**
 * What extension pages get: decrypted views for display, built in the background. No keys, no wire
 * bytes, nothing the page could replay.
 */
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

export interface Connection {
  state: ConnectionState;
  error?: string;
}

export async function summaryView(): Promise<Connection & { unread: number; requests: number }> {
  try {
    const { keys } = await messagingKeys();
    return { ...connectionState(), ...(await counts(keys)) };
  } catch (error) {
    if (error instanceof LockedError) return { state: 'locked', unread: 0, requests: 0 };
    throw error;
  }
}

/** Blocked conversations only come as who they are (for Unblock), never with their messages. */
export interface BlockedView {
  id: string;
  peer: string;
  name?: string;
}

export async function threadsView(): Promise<{ connection: Connection; me: string; threads: ThreadView[]; blocked: BlockedView[] }> {
  const { keys, address } = await messagingKeys();
  const all = await allThreads(keys);
  const threads = all
    .filter((t) => t.consent !== 'blocked')
    .sort((a, b) => Math.max(b.lastMessageAt, b.createdAt) - Math.max(a.lastMessageAt, a.createdAt))
    .map(({ id, peer, name, consent, unread, lastMessageAt, preview }) => ({ id, peer, name, consent, unread, lastMessageAt, preview }));
  const blocked = all
    .filter((t) => t.consent === 'blocked')
    .sort((a, b) => b.createdAt - a.createdAt)
    .map(({ id, peer, name }) => ({ id, peer, name }));
  return { connection: connectionState(), me: address, threads, blocked };
}

export const PAGE_SIZE = 50;

export async function threadView(threadId: string, before?: number): Promise<{ thread: ThreadView; messages: MessageView[]; hasMore: boolean }> {
  const { keys, address } = await messagingKeys();
  const t = await readThread(keys, threadId);
  if (!t || t.consent === 'blocked') throw new Error('This conversation is not available.');
  const page = await pageMessages(keys, threadId, PAGE_SIZE + 1, before);
  const hasMore = page.length > PAGE_SIZE;
  const messages = page.slice(hasMore ? 1 : 0).map((m) => ({ id: m.id, mine: m.sender === address, sentAt: m.sentAt, content: m.content, delivery: m.delivery }));
  const { id, peer, name, consent, unread, lastMessageAt, preview } = t;
  return { thread: { id, peer, name, consent, unread, lastMessageAt, preview }, messages, hasMore };
}
