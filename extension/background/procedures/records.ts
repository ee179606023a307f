import type { Procedures } from './index';

type RecordsRequest = 'records.summary';

/** The record vault's procedures (extension/records/). */
export const recordsProcedures: Procedures<RecordsRequest> = {
  'records.summary': async () => ({ total: 0, recent: [] }),
};
