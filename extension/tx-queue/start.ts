import { browser } from 'wxt/browser';
import { UNLOCKED_SEED_KEY } from '../keys/unlocked';
import { runQueue, TX_QUEUE_ALARM } from './queue';

/**
 * The transaction queue's background wiring (called once per worker start from background.ts): its
 * alarm, a run when the vault is unlocked (the unlocked seed appears in storage.session) or the
 * network settings change, and a run now — a worker woken by anything picks up where the last one
 * stopped. A locked vault's run does nothing; unlocking starts it again.
 */
export function startTxQueue(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === TX_QUEUE_ALARM) void runQueue();
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && changes[UNLOCKED_SEED_KEY]?.newValue) void runQueue();
    if (area === 'local' && changes.settings) void runQueue();
  });
  void runQueue();
}
