import { z } from 'zod';

/** The record vault (extension/records/, procedures/records.ts). */
export const recordsRequests = [
  z.strictObject({ type: z.literal('records.summary') }),
] as const;
