import { browser } from 'wxt/browser';
import { UNLOCKED_SEED_KEY } from '../keys/unlocked';
import { onLock } from '../keys/vault';
import { logged } from '../logging/log';
import { vaultDb } from '../records/db';
import { runAnchoring } from './batcher';
import { markRecordsChanged } from './records-scan';
import { forgetTrees } from './tree';

/**
 * When anchoring runs (called once per worker start from background.ts): a few seconds after records
 * are written in this worker (an import, a restore, a record accepted from a portal — Dexie hooks), on
 * a chrome.alarms schedule (wakes a stopped worker: a batch left waiting moves on, the chain coming
 * back is noticed with no action), right after an unlock, and when the queue's anchor action changes.
 */
export const ANCHORING_ALARM = 'securemed-anchoring';
const EVERY_MINUTES = 1;
const AFTER_WRITE_MS = 2_000;
let soon: ReturnType<typeof setTimeout> | undefined;

function runSoon(): void {
  markRecordsChanged();
  if (soon) clearTimeout(soon);
  soon = setTimeout(() => {
    soon = undefined;
    void runAnchoring();
  }, AFTER_WRITE_MS);
}

export function startAnchoring(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ANCHORING_ALARM) void runAnchoring();
  });
  browser.storage.session.onChanged?.addListener((changes) => {
    if (changes[UNLOCKED_SEED_KEY]?.newValue) runSoon();
  });
  onLock(() => {
    markRecordsChanged();
    forgetTrees();
  });
  const records = vaultDb().records;
  records.hook('creating', runSoon);
  records.hook('updating', runSoon);
  records.hook('deleting', runSoon);
  // A queue row changed (an anchor action confirmed, failed, or waits for another reason): look again.
  const queue = vaultDb().table('txQueue');
  const afterQueue = () => void setTimeout(() => void runAnchoring(), 500);
  queue.hook('creating', afterQueue);
  queue.hook('updating', afterQueue);
  void browser.alarms
    .get(ANCHORING_ALARM)
    .then(async (alarm) => {
      if (!alarm) await browser.alarms.create(ANCHORING_ALARM, { periodInMinutes: EVERY_MINUTES, delayInMinutes: 0.1 });
    })
    .catch(logged('anchoring', 'schedule anchoring'));
  void runAnchoring();
}
