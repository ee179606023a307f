import { connectedOrigins, loadSites } from '../consent/store';
import { unlocked } from '../keys/unlocked';
import type { PageHandler } from './context';

/**
 * securemed_status: is this site connected? Reveals nothing about the patient. Works while locked (from
 * the session list); while unlocked the list is refreshed from the vault first, so it is right after a
 * browser restart too.
 */
export const status: PageHandler = async ({ origin }) => {
  if (await unlocked()) await loadSites();
  return { connected: (await connectedOrigins()).includes(origin) };
};
