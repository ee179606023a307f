import { z } from 'zod';
import { anchorDomain, anchorTypedData, deadlineFromBlock } from '../../shared/chain/eip712';
import { relayRequest } from '../../shared/chain/relayer';
import { latestBlockTime } from '../chain/reads';
import type { ActionKindSpec } from '../tx-queue/kinds';
import { DEADLINE_SECONDS, signTypedData } from '../tx-queue/signing';
import { anchoringAccount } from './account';
import { findAnchoring } from './chain';

/**
 * The transaction queue's `anchor` kind: anchorBySig(account, root, count) signed by the vault's
 * anchoring account (never the identity or a pairwise account). No nonce: a (account, root) is
 * anchored once, so a replayed or repeated submission reverts AlreadyAnchored and `landed` finds the
 * anchoring that did go through — which is why a worker stop mid-batch never anchors twice.
 */
export const AnchorIntent = z.strictObject({
  batchId: z.string().uuid(),
  account: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  root: z.string().regex(/^0x[0-9a-f]{64}$/),
  count: z.number().int().positive(),
});
export type AnchorIntent = z.infer<typeof AnchorIntent>;

export const anchorKind: ActionKindSpec = {
  title: 'Anchor a batch of your records',
  fn: 'anchorBySig',
  contract: 'RecordAnchor',
  async sign(action) {
    const intent = AnchorIntent.parse(action.intent);
    const signer = await anchoringAccount();
    if (signer.address.toLowerCase() !== intent.account.toLowerCase()) throw new Error('this vault does not hold the anchoring account of this action');
    const deadline = deadlineFromBlock(await latestBlockTime(), DEADLINE_SECONDS);
    const message = { patient: signer.address, root: intent.root, count: BigInt(intent.count), deadline };
    const signature = await signTypedData(signer, anchorTypedData(anchorDomain(action.chainId, action.contract), message));
    return { request: relayRequest('anchorBySig', action.chainId, action.contract, message, signature), deadline };
  },
  async landed(action) {
    const intent = AnchorIntent.parse(action.intent);
    return findAnchoring(intent.account, intent.root);
  },
};
