import type { UiReply, UiRequestOf, UiRequestType } from '../../../shared/protocol/runtime';
import { anchoringProcedures } from './anchoring';
import { approvalProcedures } from './approvals';
import { auditProcedures } from './audit';
import { consentProcedures } from './consent';
import { chainProcedures } from './chain';
import { messagingProcedures } from './messaging';
import { recordsProcedures } from './records';
import { replicasProcedures } from './replicas';
import { settingsProcedures } from './settings';
import { statusProcedures } from './status';
import { submitProcedures } from './submit';
import { vaultProcedures } from './vault';

/** One request's handler: takes the parsed request, answers exactly the reply shared/protocol declares for it. */
export type Procedure<T extends UiRequestType> = (req: UiRequestOf<T>) => Promise<UiReply<T>>;
export type Procedures<K extends UiRequestType> = { [T in K]: Procedure<T> };

/**
 * Every request an extension page may make, one procedure each, grouped by domain. The schema and the
 * reply of each request live in shared/protocol/ui/<domain>.ts; the compiler checks that every type has
 * a procedure and that each returns its declared reply. Refusals are thrown as UiError (with a code).
 */
export const uiProcedures: Procedures<UiRequestType> = {
  ...statusProcedures,
  ...approvalProcedures,
  ...vaultProcedures,
  ...settingsProcedures,
  ...recordsProcedures,
  ...messagingProcedures,
  ...chainProcedures,
  ...replicasProcedures,
  ...consentProcedures,
  ...anchoringProcedures,
  ...auditProcedures,
  ...submitProcedures,
};
