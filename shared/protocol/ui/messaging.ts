import { z } from 'zod';

/** Patient–doctor messaging (extension/messaging/, procedures/messaging.ts). */
export const messagingRequests = [
  z.strictObject({ type: z.literal('messaging.summary') }),
] as const;
