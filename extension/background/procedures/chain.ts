import { keyPublication, publishEncryptionKey } from '../../tx-queue/publish-key';
import { retryConsentAction } from '../../consent/retry';
import { queuedAction, queuedActions, retry, toView } from '../../tx-queue/queue';
import type { Procedures } from './index';

/** The transaction queue and what it publishes (extension/tx-queue/). Pages get views; payloads and keys stay here. */
export const chainProcedures: Procedures<'chain.queue' | 'chain.publishKey' | 'chain.keyStatus' | 'chain.retry'> = {
  'chain.queue': async () => ({ actions: (await queuedActions()).map(toView) }),
  'chain.publishKey': async () => ({ action: toView(await publishEncryptionKey()) }),
  'chain.keyStatus': () => keyPublication(),
  // A consent grant or revoke is retried through its permission: never a grant the patient has since stopped.
  'chain.retry': async ({ id }) => {
    const kind = (await queuedAction(id))?.kind;
    return { action: toView(kind === 'grant' || kind === 'revoke' ? await retryConsentAction(id) : await retry(id)) };
  },
};
