import { exportActivity, listActivity, whoSaw } from '../../audit/query';
import type { Procedures } from './index';

/** The audit trail (extension/audit/): Activity, who saw a record, the FHIR export. */
export const auditProcedures: Procedures<'audit.list' | 'audit.whoSaw' | 'audit.export'> = {
  'audit.list': ({ origin, since, until, limit, chain }) => listActivity({ origin, since, until, limit, chain }),
  'audit.whoSaw': ({ id }) => whoSaw(id),
  'audit.export': ({ origin, since, until }) => exportActivity({ origin, since, until }),
};
