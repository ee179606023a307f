import { z } from 'zod';

/** Extension status and approval windows (extension/background/procedures/status.ts, approvals.ts). */
export const coreRequests = [
  z.strictObject({ type: z.literal('ui.status') }),
  z.strictObject({ type: z.literal('ui.approval.get'), approvalId: z.string().uuid() }),
  z.strictObject({ type: z.literal('ui.approval.decide'), approvalId: z.string().uuid(), approve: z.boolean() }),
] as const;
