import { browser } from 'wxt/browser';
import type { UiRequest, UiRequestType } from '../../shared/protocol/runtime';
import { approvalForWindow, decide } from '../approvals/approvals';
import { connectedSites } from '../sites/connected-sites';

/** When this worker instance started: lets people (and tests) see that a restart happened. */
const workerStartedAt = Date.now();

type Procedure<T extends UiRequestType> = (req: Extract<UiRequest, { type: T }>) => Promise<unknown>;

/** One procedure per UI request type; the schema for each lives in shared/protocol/runtime.ts. */
export const uiProcedures: { [T in UiRequestType]: Procedure<T> } = {
  'ui.status': async () => ({
    version: browser.runtime.getManifest().version,
    workerStartedAt,
    connectedSites: (await connectedSites()).length,
  }),
  'ui.approval.get': async ({ approvalId }) => {
    const { origin, kind, details, createdAt } = await approvalForWindow(approvalId);
    return { origin, kind, details, createdAt };
  },
  'ui.approval.decide': async ({ approvalId, approve }) => {
    await decide(approvalId, approve ? 'approved' : 'rejected');
    return { done: true };
  },
};
