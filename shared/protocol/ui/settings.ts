import { z } from 'zod';

/** Settings (extension/settings/, procedures/settings.ts). The settings value itself is parsed there. */
export const settingsRequests = [
  z.strictObject({ type: z.literal('settings.get') }),
  z.strictObject({ type: z.literal('settings.save'), settings: z.unknown(), confirmNetworkChange: z.boolean() }),
  z.strictObject({ type: z.literal('settings.chainStatus'), rpcUrl: z.string().max(2048).optional(), chainId: z.number().optional() }),
] as const;
