import { approvalForWindow, decide } from '../../approvals/approvals';
import type { Procedures } from './index';

export const approvalProcedures: Procedures<'ui.approval.get' | 'ui.approval.decide'> = {
  'ui.approval.get': async ({ approvalId }) => {
    const { origin, kind, details, createdAt } = await approvalForWindow(approvalId);
    return { origin, kind, details, createdAt };
  },
  'ui.approval.decide': async ({ approvalId, approve }) => {
    await decide(approvalId, approve ? 'approved' : 'rejected');
    return { done: true };
  },
};
