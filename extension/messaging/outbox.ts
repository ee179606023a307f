import { describeContent, type MessageContent } from '../../shared/messaging/content';
import { announceChange, refreshBadge } from './changes';
import { pendingMessages, readMessage, readThread, writeMessage, writeThread, type StoredMessage } from './history';
import type { MessagingKeys } from './keys';
import { markOnline, session, type Session } from './session';
import { serial } from './serial';

/**
 * Our own messages: stored as "sending" with their encrypted envelope before anything goes on the
 * wire, then "sent" or "failed". A retry publishes the very same envelope (same id, same bytes), so
 * it is delivered exactly once whether or not the first attempt reached the node.
 */
export async function send(threadId: string, content: MessageContent): Promise<StoredMessage> {
  const s = await session();
  const thread = await readThread(s.keys, threadId);
  if (!thread) throw new Error('This conversation no longer exists.');
  if (thread.consent === 'blocked') throw new Error('You blocked this contact. Unblock them to send a message.');
  const prepared = await s.messenger.prepare({ id: thread.conversationId, peer: thread.peer, createdAt: thread.createdAt }, content);
  const message: StoredMessage = {
    id: prepared.id,
    threadId,
    sender: s.messenger.address,
    sentAt: prepared.sentAt,
    content,
    delivery: 'sending',
    wire: prepared.wire,
  };
  await serial(async () => {
    await writeMessage(s.keys, message);
    const t = (await readThread(s.keys, threadId))!;
    t.lastMessageAt = Math.max(t.lastMessageAt, message.sentAt);
    t.preview = describeContent(content).slice(0, 140);
    // Answering a request is accepting it.
    if (t.consent === 'request') t.consent = 'allowed';
    await writeThread(s.keys, t);
    await refreshBadge(s.keys);
  });
  announceChange();
  return publish(s, message);
}

export async function retry(messageId: string): Promise<StoredMessage> {
  const s = await session();
  const message = await readMessage(s.keys, messageId);
  if (!message || message.sender !== s.messenger.address) throw new Error('There is no such message to send again.');
  if (message.delivery === 'sent' || !message.wire) return message;
  await serial(() => writeMessage(s.keys, { ...message, delivery: 'sending' }));
  announceChange();
  return publish(s, message);
}

async function publish(s: Session, message: StoredMessage): Promise<StoredMessage> {
  let ok = true;
  try {
    await s.messenger.publish(message.wire!);
  } catch {
    ok = false;
  }
  markOnline(ok);
  const result = await serial(async () => {
    const now = await readMessage(s.keys, message.id);
    // The stream may already have seen it arrive: "sent" is final.
    if (now?.delivery === 'sent') return now;
    const next: StoredMessage = ok ? { ...message, delivery: 'sent', wire: undefined } : { ...message, delivery: 'failed' };
    await writeMessage(s.keys, next);
    return next;
  });
  announceChange();
  return result;
}

/** At worker start: a send that was in flight when the last worker stopped did not finish here. */
export async function recoverPending(keys: MessagingKeys): Promise<void> {
  await serial(async () => {
    for (const m of await pendingMessages(keys)) await writeMessage(keys, { ...m, delivery: 'failed' });
  });
}
