import { connectedOrigins } from '../consent/store';
import type { PageHandler } from './context';

/** securemed_status: is this site connected? Reveals nothing about the patient. Works while locked. */
export const status: PageHandler = async ({ origin }) => ({ connected: (await connectedOrigins()).includes(origin) });
