import { browser } from 'wxt/browser';
import { touch } from '../../keys/vault';
import { clearLog, readLog } from '../../logging/log';
import { connectedSites } from '../../sites/connected-sites';
import type { Procedures } from './index';

/** When this worker instance started: lets people (and tests) see that a restart happened. */
const workerStartedAt = Date.now();

export const statusProcedures: Procedures<'ui.status' | 'ui.activity' | 'support.log' | 'support.clear'> = {
  'support.log': async () => ({ entries: await readLog() }),
  'support.clear': async () => (await clearLog(), { done: true }),
  'ui.activity': async () => (await touch(), { done: true }),
  'ui.status': async () => ({
    version: browser.runtime.getManifest().version,
    workerStartedAt,
    connectedSites: (await connectedSites()).length,
  }),
};
