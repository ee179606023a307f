import { connectedSite } from '../sites/connected-sites';
import type { PageHandler } from './context';

/** securemed_status: is this site connected? Reveals nothing about the patient. */
export const status: PageHandler = async ({ origin }) => ({ connected: !!(await connectedSite(origin)) });
