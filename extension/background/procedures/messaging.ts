import { verification } from '../../messaging/directory';
import { markRead, rename, setConsent, startConversation, unblock } from '../../messaging/conversations';
import { createInvite, joinInvite } from '../../messaging/invites';
import { retry, send } from '../../messaging/outbox';
import { kick } from '../../messaging/start';
import { summaryView, threadsView, threadView } from '../../messaging/views';
import type { Procedures } from './index';

type MessagingRequest =
  | 'messaging.summary'
  | 'messaging.threads'
  | 'messaging.thread'
  | 'messaging.start'
  | 'messaging.invite'
  | 'messaging.join'
  | 'messaging.send'
  | 'messaging.retry'
  | 'messaging.read'
  | 'messaging.consent'
  | 'messaging.rename'
  | 'messaging.verification';

/** Messaging procedures (extension/messaging/). Pages get decrypted views; keys and envelopes stay here. */
export const messagingProcedures: Procedures<MessagingRequest> = {
  'messaging.summary': async () => (kick(), summaryView()),
  'messaging.threads': async () => (kick(), threadsView()),
  'messaging.thread': ({ threadId, before }) => threadView(threadId, before),
  'messaging.start': async ({ peer, name }) => ({ threadId: await startConversation(peer, name) }),
  'messaging.invite': ({ name }) => createInvite(name),
  'messaging.join': async ({ invite, name }) => ({ threadId: await joinInvite(invite, name) }),
  'messaging.send': async ({ threadId, content }) => ({ delivery: (await send(threadId, content)).delivery }),
  'messaging.retry': async ({ messageId }) => ({ delivery: (await retry(messageId)).delivery }),
  'messaging.read': async ({ threadId }) => (await markRead(threadId), { done: true }),
  'messaging.consent': async ({ threadId, decision }) => (
    await (decision === 'unblock' ? unblock(threadId) : setConsent(threadId, decision === 'accept' ? 'allowed' : 'blocked')), { done: true }
  ),
  'messaging.rename': async ({ threadId, name }) => (await rename(threadId, name), { done: true }),
  'messaging.verification': async ({ peer }) => ({ status: await verification(peer) }),
};
