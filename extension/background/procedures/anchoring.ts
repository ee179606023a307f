import { runAnchoring } from '../../anchoring/batcher';
import { anchoringAccount } from '../../anchoring/account';
import { exportWithProof } from '../../anchoring/export';
import { markRecordsChanged } from '../../anchoring/records-scan';
import { anchoringStatus } from '../../anchoring/status';
import { loadBatches } from '../../anchoring/store';
import { verifyAllPage } from '../../anchoring/verify-all';
import { verifyRecord } from '../../anchoring/verify';
import { runQueue } from '../../tx-queue/queue';
import type { Procedures } from './index';

/** Tamper evidence (extension/anchoring/): state, Verify, Verify all, export with proof. */
export const anchoringProcedures: Procedures<'anchoring.status' | 'anchoring.run' | 'anchoring.verify' | 'anchoring.verifyAll' | 'anchoring.export'> = {
  'anchoring.status': async () => {
    void runAnchoring(); // a page is watching: move a waiting batch on now
    return anchoringStatus();
  },
  'anchoring.run': async () => {
    markRecordsChanged();
    await runAnchoring();
    void runQueue();
    return anchoringStatus();
  },
  'anchoring.verify': async ({ id }) => verifyRecord(id, { account: (await anchoringAccount()).address, batches: await loadBatches() }),
  'anchoring.verifyAll': ({ offset, limit }) => verifyAllPage(offset, limit),
  'anchoring.export': ({ id, includeContent }) => exportWithProof(id, includeContent),
};
