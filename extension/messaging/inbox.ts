import { describeContent } from '../../shared/messaging/content';
import { announceChange, refreshBadge } from './changes';
import { allThreads, readMessage, readThread, writeMessage, writeThread, type Thread } from './history';
import { threadSlot } from './identities';
import { threadIdOf, type MessagingKeys } from './keys';
import { notifyNewMessage } from './notify';
import type { PortMessage } from './port';
import { hasRelationship } from './relationships';
import { markOnline, threadIdFor, type Session } from './session';
import { serial } from './serial';

/**
 * Incoming messages, from the live stream or the alarm's catch-up, land here. Both may deliver the same
 * message (and the sender's own stream echoes its sends): the message id decides, so nothing is stored
 * or counted twice. Consent decides where a conversation goes: the inbox when the patient started it,
 * accepted it, replied, has a relationship with the counterparty, or it reached the relationship
 * identity made for that counterparty; otherwise Requests. Blocked
 * counterparties' messages are dropped and never notified.
 */
export function newThread(keys: MessagingKeys, peer: string, conversationId: string, consent: Thread['consent'], identity?: number): Thread {
  const now = Date.now();
  return {
    id: threadIdOf(keys, peer, identity),
    peer,
    ...(identity === undefined ? {} : { identity }),
    conversationId,
    consent,
    unread: 0,
    seen: {},
    lastMessageAt: 0,
    createdAt: now,
  };
}

/** A message for our identity `me` (the address it reached, or ours when we sent it). */
export function ingest(s: Session, me: string, m: PortMessage, opts: { notify: boolean } = { notify: true }): Promise<void> {
  return serial(async () => {
    const { keys } = s;
    const identity = s.identities.get(me);
    if (!identity) return;
    const mine = m.sender === me;
    // A relationship identity exists only because the patient added this counterparty.
    const ours = identity.slot !== 'main' && identity.counterparty === m.peer;
    const id = threadIdFor(s, identity.slot, m.peer);
    const thread =
      (await readThread(keys, id)) ??
      newThread(keys, m.peer, m.conversationId, mine || ours || (await hasRelationship(m.peer)) ? 'allowed' : 'request', threadSlot(identity.slot));
    // The name the patient gave the invite this counterparty answered.
    if (ours && identity.invite?.name && thread.name === undefined) thread.name = identity.invite.name;
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
 * Catch up with the node: every identity's new invitations and every conversation's messages at or
 * after the newest one seen (inclusive, so equal timestamps are not skipped; a message already stored
 * is recognised by its id). One batched read for all identities, whatever their number. Run at worker
 * start and on the alarm, because a stream only lives as long as the worker does.
 */
export async function catchUp(s: Session): Promise<void> {
  try {
    const threads = new Map((await allThreads(s.keys)).map((t) => [t.id, t]));
    const followed = s.identities.followed((slot, peer, topic) => threads.get(threadIdFor(s, slot, peer))?.seen[topic]);
    await s.network.catchUp(followed, s.events);
    markOnline(true);
  } catch (error) {
    markOnline(false);
    throw error;
  }
}
