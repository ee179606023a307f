import { keyPublication, publishEncryptionKey } from '../../tx-queue/publish-key';
import { queuedActions, retry, toView } from '../../tx-queue/queue';
import type { Procedures } from './index';

/** The transaction queue and what it publishes (extension/tx-queue/). Pages get views; payloads and keys stay here. */
export const chainProcedures: Procedures<'chain.queue' | 'chain.publishKey' | 'chain.keyStatus' | 'chain.retry'> = {
  'chain.queue': async () => ({ actions: (await queuedActions()).map(toView) }),
  'chain.publishKey': async () => ({ action: toView(await publishEncryptionKey()) }),
  'chain.keyStatus': () => keyPublication(),
  'chain.retry': async ({ id }) => ({ action: toView(await retry(id)) }),
};
