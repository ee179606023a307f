import { UiError } from '../../shared/protocol/ui-errors';
import { announceChange, refreshBadge } from './changes';
import { readThread, writeThread, type Consent, type Thread } from './history';
import { threadSlot } from './identities';
import { catchUp, newThread } from './inbox';
import { messagingKeys, session, threadIdFor } from './session';
import { serial } from './serial';

/**
 * The patient's decisions about conversations: start one, accept or block a request, mark read, name.
 *
 * Starting a conversation by address speaks from a relationship identity made for that counterparty
 * (identities.ts), unless a conversation with them already exists: it keeps the identity it has (an
 * existing main-identity thread stays there). `publicIdentity` speaks from the main identity instead:
 * the doctor role will pass it, since a doctor's identity is the one patients look up.
 */
export async function startConversation(peerAddress: string, name?: string, opts: { publicIdentity?: boolean } = {}): Promise<string> {
  const peer = peerAddress.toLowerCase();
  const s = await session();
  if (s.identities.isOurs(peer)) throw new UiError('invalid', 'That is your own address.');
  if (!(await s.network.canMessage(peer))) {
    throw new UiError('unavailable', 'This address has not set up secure messaging on your messaging node yet.');
  }
  const existing = await readThread(s.keys, threadIdFor(s, 'main', peer));
  const identity =
    opts.publicIdentity || existing ? s.identities.bySlot('main')! : (s.identities.forCounterparty(peer) ?? (await s.identities.allocate(peer, s.network)));
  const messenger = await s.network.messenger(s.identities.keysOf(identity));
  const conversation = await messenger.open(peer);
  await s.identities.addConversation(identity.address, conversation.id, peer);
  return serial(async () => {
    const id = threadIdFor(s, identity.slot, peer);
    const thread = (await readThread(s.keys, id)) ?? newThread(s.keys, peer, conversation.id, 'allowed', threadSlot(identity.slot));
    thread.conversationId = conversation.id;
    if (thread.consent === 'blocked') keepDropped(thread);
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
    if (t.consent === 'blocked' && consent !== 'blocked') keepDropped(t);
    t.consent = consent;
    if (consent === 'blocked') t.unread = 0;
    return true;
  });
}

/**
 * Unblocking puts the conversation back in Requests (it is not accepting it). Messages sent while it
 * was blocked stay dropped: a catch-up first drops whatever the node has that this worker has not seen
 * yet (best effort: offline, only what was seen is known), then the catch-up marks move past them.
 */
export async function unblock(threadId: string): Promise<void> {
  await session().then(catchUp, () => undefined).catch(() => undefined);
  await update(threadId, (t) => {
    if (t.consent !== 'blocked') return false;
    keepDropped(t);
    t.consent = 'request';
    return true;
  });
}

/**
 * While blocked, ingest only advances the catch-up marks (`seen`, sender time of the newest message).
 * Catch-up asks "at or after" the mark, so it would fetch the newest dropped message again: move each
 * mark one millisecond on.
 */
function keepDropped(t: Thread): void {
  for (const topic of Object.keys(t.seen)) t.seen[topic]! += 1;
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
    if (!thread) throw new UiError('not_found', 'This conversation no longer exists.');
    if (!change(thread)) return false;
    await writeThread(keys, thread);
    await refreshBadge(keys);
    return true;
  });
  if (changed) announceChange();
}
