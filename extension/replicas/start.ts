import { browser } from 'wxt/browser';
import { UNLOCKED_SEED_KEY } from '../keys/unlocked';
import { logged } from '../logging/log';
import { vaultDb } from '../records/db';
import { VAULT_DATA } from '../vault-data/registry';
import { replicateNow } from './replicate';

/**
 * When replication runs (called once per worker start from background.ts):
 * - a few seconds after any write to a replicated table in this worker (Dexie hooks), so a change goes
 *   out promptly — once an import in progress has finished;
 * - on a chrome.alarms schedule, which survives the worker being stopped: the health check that asks
 *   each node what it holds, refills what a node lost and republishes the head; it also finishes an
 *   upload a stopped worker left half done (every pass uploads whatever a node lacks);
 * - right after an unlock.
 */
export const REPLICAS_ALARM = 'securemed-replicas-health';
const HEALTH_MINUTES = 2;
const AFTER_CHANGE_MS = 3_000;
let pending: ReturnType<typeof setTimeout> | undefined;

/** An import in progress keeps a journal row per committed chunk (records/import.ts) until it finishes. */
const MAX_DEFER_MS = 10 * 60_000;
let deferredSince: number | undefined;

function soon(): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    void (async () => {
      // While an import writes, a pass would re-read and re-seal a vault that is still growing, slowing
      // the import down, and upload packs the next chunk changes again: wait until it is done (the
      // scheduled health check still runs; a journal left by an abandoned import defers 10 minutes at most).
      const importing = (await vaultDb().table('journal').count()) > 0;
      if (importing && Date.now() - (deferredSince ??= Date.now()) < MAX_DEFER_MS) return soon();
      deferredSince = undefined;
      await replicateNow();
    })().catch(logged('replicas', 'replicate after a change'));
  }, AFTER_CHANGE_MS);
}

export function startReplicas(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REPLICAS_ALARM) void replicateNow().catch(logged('replicas', 'scheduled health check'));
  });
  browser.storage.session.onChanged?.addListener((changes) => {
    if (changes[UNLOCKED_SEED_KEY]?.newValue) soon();
  });
  const db = vaultDb();
  for (const kind of VAULT_DATA) {
    if (kind.database !== 'vault' || !kind.backup.include) continue;
    const table = db.table(kind.table);
    table.hook('creating', soon);
    table.hook('updating', soon);
    table.hook('deleting', soon);
  }
  void browser.alarms
    .get(REPLICAS_ALARM)
    .then(async (alarm) => {
      if (!alarm) await browser.alarms.create(REPLICAS_ALARM, { periodInMinutes: HEALTH_MINUTES, delayInMinutes: 0.5 });
    })
    .catch(logged('replicas', 'schedule health check'));
}
