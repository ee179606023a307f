import { z } from 'zod';
import type { Settings } from '../../settings/schema';

/** Settings (extension/settings/, procedures/settings.ts). The settings value itself is parsed there. */
export const settingsRequests = [
  z.strictObject({ type: z.literal('settings.get') }),
  z.strictObject({ type: z.literal('settings.save'), settings: z.unknown(), confirmNetworkChange: z.boolean() }),
  z.strictObject({ type: z.literal('settings.chainStatus'), rpcUrl: z.string().max(2048).optional(), chainId: z.number().optional() }),
] as const;

/** Is the configured chain reachable, and is it the chain the settings say? Never faked. */
export interface ChainStatus {
  reachable: boolean;
  chainId?: number;
  matches?: boolean;
  /** A sentence for the patient, e.g. "http://127.0.0.1:9 is not reachable". */
  message: string;
}

/**
 * What each request above answers. settings.save refuses invalid values with FieldErrors (code
 * `invalid`), a locked vault with `locked`, and an unconfirmed network change with `needs_confirmation`.
 */
export interface SettingsReplies {
  /** integrity: 'tampered' when network fields were changed outside SecureMed (they are not used). */
  'settings.get': { settings: Settings; defaults: Settings; integrity: 'ok' | 'unverified' | 'tampered' };
  'settings.save': { settings: Settings };
  'settings.chainStatus': ChainStatus;
}
