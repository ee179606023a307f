import { describeContent, type MessageContent } from '../../shared/messaging/content';
import { randomBytes, toHex } from '../../shared/crypto/bytes';
import { UiError } from '../../shared/protocol/ui-errors';
import { announceChange, refreshBadge } from './changes';
import { pendingMessages, readMessage, readThread, replaceMessage, writeMessage, writeThread, type StoredMessage } from './history';
import { slotAddress, slotOf } from './identities';
import type { MessagingKeys } from './keys';
import type { Messenger } from './port';
import { LockedError, markOnline, messagingKeys, session, type Session } from './session';
import { serial } from './serial';
import { logError } from '../logging/log';

/**
 * Our own messages: stored as "sending" with their encrypted envelope before anything goes on the
 * wire, then "sent" or "failed". A retry publishes the very same envelope (same id, same bytes), so
 * it is delivered exactly once whether or not the first attempt reached the node.
 *
 * With no connection at all (the node was down when the worker started), there is no client to
 * encrypt with: the message is stored as "failed" without an envelope, under a local id. It was never
 * on the network, so its first Retry prepares it then (once: concurrent retries share one attempt),
 * swaps the local record for the prepared one in one transaction, and continues as above.
 */
export async function send(threadId: string, content: MessageContent): Promise<StoredMessage> {
  const { keys, address, seed } = await messagingKeys();
  const thread = await readThread(keys, threadId);
  if (!thread) throw new UiError('not_found', 'This conversation no longer exists.');
  if (thread.consent === 'blocked') throw new UiError('conflict', 'You blocked this contact. Unblock them to send a message.');
  const s = await connected();
  const messenger = s && (await reachable(() => messengerOf(s, thread)));
  if (!s || !messenger) {
    const sender = slotAddress(seed, address, slotOf(thread));
    const unprepared: StoredMessage = { id: toHex(randomBytes(32)), threadId, sender, sentAt: Date.now(), content, delivery: 'failed' };
    await store(keys, unprepared);
    return unprepared;
  }
  const prepared = await messenger.prepare({ id: thread.conversationId, peer: thread.peer, createdAt: thread.createdAt }, content);
  const message: StoredMessage = { id: prepared.id, threadId, sender: messenger.address, sentAt: prepared.sentAt, content, delivery: 'sending', wire: prepared.wire };
  await store(keys, message);
  return publish(messenger, s, message);
}

export async function retry(messageId: string): Promise<StoredMessage> {
  const { keys } = await messagingKeys();
  const message = await readMessage(keys, messageId);
  const thread = message && (await readThread(keys, message.threadId));
  // Only our own messages: in a thread, whatever the counterparty did not send is ours.
  if (!message || !thread || message.sender === thread.peer) throw new UiError('not_found', 'There is no such message to send again.');
  if (message.delivery === 'sent' || message.delivery === 'received') return message;
  const s = await connected();
  if (!s) return message; // still offline: it stays "failed" (the page shows the node as unreachable)
  if (!message.wire) return prepareOnce(s, message);
  const messenger = await reachable(() => messengerOf(s, thread));
  if (!messenger) return message;
  await serial(() => writeMessage(s.keys, { ...message, delivery: 'sending' }));
  announceChange();
  return publish(messenger, s, message);
}

/**
 * An identity's keys load on first use, which can need the node: unreachable then means "offline"
 * (undefined), like a session that could not connect. Refusals (UiError) still reach the page.
 */
async function reachable(get: () => Promise<Messenger>): Promise<Messenger | undefined> {
  try {
    return await get();
  } catch (error) {
    if (error instanceof UiError) throw error;
    markOnline(false);
    return undefined;
  }
}

/** The identity this thread speaks from. */
async function messengerOf(s: Session, thread: { identity?: number }): Promise<Messenger> {
  const record = s.identities.bySlot(slotOf(thread));
  if (!record) throw new UiError('not_found', 'This conversation no longer exists.');
  return s.network.messenger(s.identities.keysOf(record));
}

/** The session, or undefined when the node cannot be reached (a locked vault still throws). */
async function connected(): Promise<Session | undefined> {
  try {
    return await session();
  } catch (error) {
    if (error instanceof LockedError) throw error;
    return undefined;
  }
}

/** Store our new message and show it in its thread (answering a request is accepting it). */
async function store(keys: MessagingKeys, message: StoredMessage): Promise<void> {
  await serial(async () => {
    await writeMessage(keys, message);
    const t = (await readThread(keys, message.threadId))!;
    t.lastMessageAt = Math.max(t.lastMessageAt, message.sentAt);
    t.preview = describeContent(message.content).slice(0, 140);
    if (t.consent === 'request') t.consent = 'allowed';
    await writeThread(keys, t);
    await refreshBadge(keys);
  });
  announceChange();
}

const preparing = new Map<string, Promise<StoredMessage>>();

function prepareOnce(s: Session, local: StoredMessage): Promise<StoredMessage> {
  let attempt = preparing.get(local.id);
  if (!attempt) {
    attempt = (async () => {
      const thread = await readThread(s.keys, local.threadId);
      if (!thread) throw new UiError('not_found', 'This conversation no longer exists.');
      if (thread.consent === 'blocked') throw new UiError('conflict', 'You blocked this contact. Unblock them to send a message.');
      const messenger = await messengerOf(s, thread);
      const prepared = await messenger.prepare({ id: thread.conversationId, peer: thread.peer, createdAt: thread.createdAt }, local.content as MessageContent);
      const message: StoredMessage = { ...local, id: prepared.id, sentAt: prepared.sentAt, delivery: 'sending', wire: prepared.wire };
      await serial(async () => {
        if (!(await readMessage(s.keys, local.id))) throw new UiError('not_found', 'There is no such message to send again.');
        await replaceMessage(s.keys, local.id, message);
        const t = (await readThread(s.keys, local.threadId))!;
        if (message.sentAt >= t.lastMessageAt) {
          t.lastMessageAt = message.sentAt;
          t.preview = describeContent(message.content).slice(0, 140);
        }
        await writeThread(s.keys, t);
      });
      announceChange();
      return publish(messenger, s, message);
    })().finally(() => preparing.delete(local.id));
    preparing.set(local.id, attempt);
  }
  return attempt;
}

async function publish(messenger: Messenger, s: Session, message: StoredMessage): Promise<StoredMessage> {
  let ok = true;
  try {
    await messenger.publish(message.wire!);
  } catch (error) {
    ok = false;
    logError('messaging', 'a message could not be sent (shown with Retry)', error);
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
