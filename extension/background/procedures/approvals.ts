import { UiError } from '../../../shared/protocol/ui-errors';
import { approvalForWindow, decide } from '../../approvals/approvals';
import { unlocked } from '../../keys/unlocked';
import { blockSite } from '../../approvals/blocked';
import type { Procedures } from './index';

export const approvalProcedures: Procedures<'ui.approval.get' | 'ui.approval.decide'> = {
  'ui.approval.get': async ({ approvalId }) => {
    const { origin, kind, details, createdAt } = await approvalForWindow(approvalId);
    const ask = kind === 'permissions' ? (details.ask as ApprovalAsk) : undefined;
    const submit = kind === 'submit' ? (details.review as SubmitReview) : undefined;
    return { origin, kind, ...(ask ? { ask } : {}), ...(submit ? { submit } : {}), createdAt };
  },
  'ui.approval.decide': async ({ approvalId, approve, choice, block, keep }) => {
    // Saying yes derives the site's account from the seed, and the block list is sealed: the vault must be open.
    if ((approve || block) && !(await unlocked())) throw new UiError('locked', 'Unlock SecureMed first, then choose again.');
    if (block && !approve) await blockSite((await approvalForWindow(approvalId)).origin);
    await decide(approvalId, approve ? 'approved' : 'rejected', choice, keep);
    return { done: true };
  },
};

type ApprovalAsk = NonNullable<import('../../../shared/protocol/ui/core').ApprovalView['ask']>;
type SubmitReview = NonNullable<import('../../../shared/protocol/ui/core').ApprovalView['submit']>;
