import type { Procedures } from './index';

type MessagingRequest = 'messaging.summary';

/** Messaging procedures (extension/messaging/). */
export const messagingProcedures: Procedures<MessagingRequest> = {
  'messaging.summary': async () => ({ unread: 0, requests: 0 }),
};
