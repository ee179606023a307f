import type { UiRequest, UiRequestType } from '../../../shared/protocol/runtime';
import { approvalProcedures } from './approvals';
import { messagingProcedures } from './messaging';
import { recordsProcedures } from './records';
import { settingsProcedures } from './settings';
import { statusProcedures } from './status';
import { vaultProcedures } from './vault';

export type Procedure<T extends UiRequestType> = (req: Extract<UiRequest, { type: T }>) => Promise<unknown>;
export type Procedures<K extends UiRequestType> = { [T in K]: Procedure<T> };

/**
 * Every request an extension page may make, one procedure each, grouped by domain. The schema of each
 * request lives in shared/protocol/runtime.ts; the compiler checks that every type has a procedure.
 */
export const uiProcedures: Procedures<UiRequestType> = {
  ...statusProcedures,
  ...approvalProcedures,
  ...vaultProcedures,
  ...settingsProcedures,
  ...recordsProcedures,
  ...messagingProcedures,
};
