import { describeContent } from '../../shared/messaging/content';
import { announceChange, refreshBadge } from './changes';
import { readMessage, readThread, writeMessage, writeThread, type Thread } from './history';
import { threadIdOf, type MessagingKeys } from './keys';
import { notifyNewMessage } from './notify';
import type { PortMessage } from './port';
import { hasRelationship } from './relationships';
import { markOnline, type Session } from './session';
import { serial } from './serial';

/**
 * Incoming messages, from the live stream or the alarm's catch-up, land here. Both may deliver the same
 * message (and the sender's own stream echoes its sends): the message id decides, so nothing is stored
 * or counted twice. Consent decides where a conversation goes: the inbox when the patient started it,
 * accepted it, replied, or has a relationship with the counterparty; otherwise Requests. Blocked
 * counterparties' messages are dropped and never notified.
 */
export function newThread(keys: MessagingKeys, peer: string, conversationId: string, consent: Thread['consent']): Thread {
  const now = Date.now();
  return { id: threadIdOf(keys, peer), peer, conversationId, consent, unread: 0, seen: {}, lastMessageAt: 0, createdAt: now };
}

export function ingest(s: Session, m: PortMessage, opts: { notify: boolean } = { notify: true }): Promise<void> {
  return serial(async () => {
    const { keys } = s;
    const mine = m.sender === s.messenger.address;
    const id = threadIdOf(keys, m.peer);
    const thread =
      (await readThread(keys, id)) ??
      newThread(keys, m.peer, m.conversationId, mine || (await hasRelationship(m.peer)) ? 'allowed' : 'request');
    thread.seen[m.conversationId] = Math.max(thread.seen[m.conversationId] ?? 0, m.sentAt);
    if (thread.consent === 'blocked') return void (await writeThread(keys, thread));

    const existing = await readMessage(keys, m.id);
    if (existing) {
      // Our own send seen on the network: whatever the publish call said, it was delivered.
      if (existing.delivery === 'sending' || existing.delivery === 'failed') {
        await writeMessage(keys, { ...existing, delivery: 'sent', wire: undefined });
        announceChange();
      }
      return void (await writeThread(keys, thread));
    }
    await writeMessage(keys, { id: m.id, threadId: id, sender: m.sender, sentAt: m.sentAt, content: m.content, delivery: mine ? 'sent' : 'received' });
    if (m.sentAt >= thread.lastMessageAt) {
      thread.lastMessageAt = m.sentAt;
      thread.preview = describeContent(m.content).slice(0, 140);
      thread.conversationId = m.conversationId;
    }
    if (!mine) thread.unread += 1;
    await writeThread(keys, thread);
    await refreshBadge(keys);
    announceChange();
    if (!mine && opts.notify) await notifyNewMessage();
  });
}

/**
 * Catch up with the node: every conversation, every message after the newest one seen (inclusive, so
 * equal timestamps are not skipped; the id check above drops the repeat). Run at worker start and on
 * the alarm, because a stream only lives as long as the worker does.
 */
export async function catchUp(s: Session): Promise<void> {
  try {
    const conversations = await s.messenger.conversations();
    for (const c of conversations) {
      const thread = await readThread(s.keys, threadIdOf(s.keys, c.peer));
      for await (const page of s.messenger.list(c, { since: thread?.seen[c.id] })) {
        for (const m of page) await ingest(s, m);
      }
    }
    markOnline(true);
  } catch (error) {
    markOnline(false);
    throw error;
  }
}
