import { announceChange, refreshBadge } from './changes';
import { readThread, writeThread, type Consent, type Thread } from './history';
import { newThread } from './inbox';
import { threadIdOf } from './keys';
import { messagingKeys, session } from './session';
import { serial } from './serial';

/** The patient's decisions about conversations: start one, accept or block a request, mark read, name. */
export async function startConversation(peerAddress: string, name?: string): Promise<string> {
  const peer = peerAddress.toLowerCase();
  const s = await session();
  if (peer === s.messenger.address) throw new Error('That is your own address.');
  if (!(await s.messenger.canMessage(peer))) {
    throw new Error('This address has not set up secure messaging on your messaging node yet.');
  }
  const conversation = await s.messenger.open(peer);
  return serial(async () => {
    const thread = (await readThread(s.keys, threadIdOf(s.keys, peer))) ?? newThread(s.keys, peer, conversation.id, 'allowed');
    thread.conversationId = conversation.id;
    thread.consent = 'allowed'; // starting a conversation is consenting to it (and unblocks)
    if (name?.trim()) thread.name = name.trim();
    await writeThread(s.keys, thread);
    await refreshBadge(s.keys);
    announceChange();
    return thread.id;
  });
}

export async function setConsent(threadId: string, consent: Exclude<Consent, 'request'>): Promise<void> {
  await update(threadId, (t) => {
    t.consent = consent;
    if (consent === 'blocked') t.unread = 0;
    return true;
  });
}

export async function markRead(threadId: string): Promise<void> {
  // Pages mark a thread read whenever they show it; only a real change is announced (no echo loop).
  await update(threadId, (t) => t.unread > 0 && ((t.unread = 0), true));
}

export async function rename(threadId: string, name: string): Promise<void> {
  await update(threadId, (t) => ((t.name = name.trim() || undefined), true));
}

/** `change` returns whether it changed anything. */
async function update(threadId: string, change: (t: Thread) => boolean): Promise<void> {
  const { keys } = await messagingKeys();
  const changed = await serial(async () => {
    const thread = await readThread(keys, threadId);
    if (!thread) throw new Error('This conversation no longer exists.');
    if (!change(thread)) return false;
    await writeThread(keys, thread);
    await refreshBadge(keys);
    return true;
  });
  if (changed) announceChange();
}
