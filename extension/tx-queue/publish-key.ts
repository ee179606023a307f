import type { KeyPublicationView } from '../../shared/protocol/ui/chain';
import { UiError } from '../../shared/protocol/ui-errors';
import { toHex } from '../../shared/crypto/bytes';
import type { Identity } from '../../shared/crypto/identity';
import { encryptionKeyOf } from '../chain/reads';
import { unlocked } from '../keys/unlocked';
import { PublishKeyIntent } from './kinds';
import { enqueue, queuedActions, runQueue, toView } from './queue';
import type { QueuedAction } from './store';

/**
 * Publishing the patient's X25519 public key in the on-chain directory (DESIGN "Encryption key"), for
 * the identity (messaging) account, gasless through the queue. Doctors encrypt what they share with
 * the patient to this key; it reveals a public key and the account, no health data.
 */
function whatToPublish(identity: Identity) {
  return { account: identity.messaging.address, key: `0x${toHex(identity.encryption.pk)}` };
}

async function identityOrLocked(what: string): Promise<Identity> {
  const state = await unlocked();
  if (!state) throw new UiError('locked', `Unlock your vault to ${what}.`);
  return state.identity;
}

function publishActionsOf(actions: readonly QueuedAction[], account: string): QueuedAction[] {
  return actions.filter((a) => a.kind === 'publishKey' && PublishKeyIntent.safeParse(a.intent).data?.account.toLowerCase() === account.toLowerCase());
}

/** Queue the publication, unless one is already on its way (then that one is the answer). */
export async function publishEncryptionKey(): Promise<QueuedAction> {
  const intent = whatToPublish(await identityOrLocked('publish your encryption key'));
  const inFlight = publishActionsOf(await queuedActions(), intent.account).find((a) => a.state === 'pending' || a.state === 'submitted');
  return inFlight ?? enqueue('publishKey', intent);
}

/** The chain's answer (when it gives one) and the latest publication action, as one state for the page. */
export async function keyPublication(): Promise<KeyPublicationView> {
  const { account, key } = whatToPublish(await identityOrLocked('see your encryption key on the network'));
  void runQueue(); // a page is watching: anything due goes now
  const latest = publishActionsOf(await queuedActions(), account)[0]; // newest first
  let onChain: 'yes' | 'no' | 'other' | 'unknown';
  let chainMessage: string | undefined;
  try {
    const published = await encryptionKeyOf(account);
    onChain = published === undefined ? 'no' : published === key ? 'yes' : 'other';
  } catch (error) {
    if (!(error instanceof UiError)) throw error;
    onChain = 'unknown';
    chainMessage = error.message;
  }
  if (onChain === 'other') chainMessage = 'A different key is published for your account. Publishing replaces it with the key of this vault.';
  const view = { account, publicKey: key, ...(latest ? { action: toView(latest) } : {}), ...(chainMessage ? { chainMessage } : {}) };

  if (latest && (latest.state === 'pending' || latest.state === 'submitted')) return { ...view, state: 'publishing' };
  if (onChain === 'yes') return { ...view, state: 'published' };
  if (latest?.state === 'failed') return { ...view, state: 'failed' };
  if (onChain === 'unknown') return { ...view, state: latest?.state === 'confirmed' ? 'published' : 'unknown' };
  if (latest?.state === 'confirmed') {
    // Confirmed once, but this chain does not have it (a fresh local chain, another network).
    return { ...view, state: 'not_published', chainMessage: 'The network does not show your key any more (a new chain?). Publish it again.' };
  }
  return { ...view, state: 'not_published' };
}
