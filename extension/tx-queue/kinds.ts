import { z } from 'zod';
import { deadlineFromBlock, directoryDomain, encryptionKeyTypedData } from '../../shared/chain/eip712';
import { relayRequest, type RelayFunction, type RelayRequest } from '../../shared/chain/relayer';
import type { Identity } from '../../shared/crypto/identity';
import type { ChainActionKind } from '../../shared/protocol/ui/chain';
import { encryptionKeyOf, findKeyPublication, latestBlockTime, type Inclusion } from '../chain/reads';
import type { ContractName } from '../chain/rpc';
import { DEADLINE_SECONDS, signTypedData } from './signing';
import { grantKind, revokeKind } from './consent-kinds';
import { anchorKind } from '../anchoring/anchor-kind';
import type { QueuedAction } from './store';

/**
 * What each kind of signed action is: its title for people, the function and contract it calls, how
 * to sign it against the chain's current state, and how to tell that its effect already landed (the
 * relayer forgot the request, or answered NonceAlreadyUsed/StaleKey for a call that did go through).
 * A new kind (grant, revoke, anchor, emergency delegate) is one entry here.
 */
export interface ActionKindSpec {
  title: string;
  fn: RelayFunction;
  contract: ContractName;
  /** Sign the action afresh: reads what the signature binds (block time, previous key…), keeps the nonce. */
  sign(action: QueuedAction, identity: Identity): Promise<{ request: RelayRequest; deadline: bigint }>;
  /** The transaction that did what this action asks, if the chain shows one. */
  landed(action: QueuedAction): Promise<Inclusion | undefined>;
}

/** publishKey: the X25519 public key, for the identity (messaging) account (DESIGN "Encryption key"). */
export const PublishKeyIntent = z.strictObject({
  account: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  key: z.string().regex(/^0x[0-9a-f]{64}$/),
});

const publishKey: ActionKindSpec = {
  title: 'Publish your encryption key',
  fn: 'setEncryptionKeyBySig',
  contract: 'ProviderDirectory',
  async sign(action, identity) {
    const intent = PublishKeyIntent.parse(action.intent);
    const signer = identity.messaging;
    if (signer.address.toLowerCase() !== intent.account.toLowerCase()) throw new Error('this vault does not hold the account of this action');
    // Compare-and-swap: the signature names the key it replaces, read now.
    const [previousKey, blockTime] = await Promise.all([encryptionKeyOf(intent.account, 0), latestBlockTime()]);
    const deadline = deadlineFromBlock(blockTime, DEADLINE_SECONDS);
    const message = {
      account: signer.address,
      key: intent.key,
      previousKey: previousKey ?? `0x${'0'.repeat(64)}`,
      nonce: BigInt(action.nonce),
      deadline,
    };
    const td = encryptionKeyTypedData(directoryDomain(action.chainId, action.contract), message);
    const signature = await signTypedData(signer, td);
    return { request: relayRequest('setEncryptionKeyBySig', action.chainId, action.contract, message, signature), deadline };
  },
  async landed(action) {
    const intent = PublishKeyIntent.parse(action.intent);
    if ((await encryptionKeyOf(intent.account, 0)) !== intent.key) return undefined;
    return findKeyPublication(intent.account, intent.key);
  },
};

export const ACTION_KINDS: Record<ChainActionKind, ActionKindSpec> = { publishKey, grant: grantKind, revoke: revokeKind, anchor: anchorKind };
