import type { MessagingSummary, ThreadPage, ThreadsView } from '../../shared/protocol/ui/messaging';
import { UiError } from '../../shared/protocol/ui-errors';
import { counts } from './changes';
import { allThreads, pageMessages, readThread } from './history';
import { slotAddress, slotOf } from './identities';
import { connectionState, LockedError, messagingKeys } from './session';

/**
 * What extension pages get: decrypted views for display, built in the background. No keys, no wire
 * bytes, nothing the page could replay. The view types are declared with the requests they answer
 * (shared/protocol/ui/messaging.ts).
 */
export type { BlockedView, Connection, MessageView, ThreadView } from '../../shared/protocol/ui/messaging';

export async function summaryView(): Promise<MessagingSummary> {
  try {
    const { keys } = await messagingKeys();
    return { ...connectionState(), ...(await counts(keys)) };
  } catch (error) {
    if (error instanceof LockedError) return { state: 'locked', unread: 0, requests: 0 };
    throw error;
  }
}

export async function threadsView(): Promise<ThreadsView> {
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

export async function threadView(threadId: string, before?: number): Promise<ThreadPage> {
  const { keys, address, seed } = await messagingKeys();
  const t = await readThread(keys, threadId);
  if (!t || t.consent === 'blocked') throw new UiError('not_found', 'This conversation is not available.');
  const page = await pageMessages(keys, threadId, PAGE_SIZE + 1, before);
  const hasMore = page.length > PAGE_SIZE;
  // In a thread, whatever the counterparty did not send is ours (from whichever identity it uses).
  const messages = page.slice(hasMore ? 1 : 0).map((m) => ({ id: m.id, mine: m.sender !== t.peer, sentAt: m.sentAt, content: m.content, delivery: m.delivery }));
  const { id, peer, name, consent, unread, lastMessageAt, preview } = t;
  const slot = slotOf(t);
  const me = { address: slotAddress(seed, address, slot), private: slot !== 'main' };
  return { thread: { id, peer, name, consent, unread, lastMessageAt, preview }, messages, hasMore, me };
}
