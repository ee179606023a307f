import { browser } from 'wxt/browser';
import { touch } from '../../keys/vault';
import { connectedSites } from '../../sites/connected-sites';
import type { Procedures } from './index';

/** When this worker instance started: lets people (and tests) see that a restart happened. */
const workerStartedAt = Date.now();

export const statusProcedures: Procedures<'ui.status' | 'ui.activity'> = {
  'ui.activity': async () => (await touch(), { done: true }),
  'ui.status': async () => ({
    version: browser.runtime.getManifest().version,
    workerStartedAt,
    connectedSites: (await connectedSites()).length,
  }),
};
