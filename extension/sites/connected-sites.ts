import { connectedOrigins } from '../consent/store';

/**
 * Which sites the patient let connect. The sites and their permissions are vault data now
 * (consent/store.ts: encrypted, in the backup); this is the count-only view that works while locked.
 */
export async function connectedSites(): Promise<string[]> {
  return connectedOrigins();
}
