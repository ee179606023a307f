import { browser } from 'wxt/browser';
import { UNLOCKED_SEED_KEY } from '../keys/unlocked';
import { onLock } from '../keys/vault';
import { drainAudit } from './record';
import { forgetOpenedEntries } from './store';

/** Worker start: notes a stopped worker left in the buffer go into the trail; unlock drains it again. */
export function startAudit(): void {
  browser.storage.session.onChanged?.addListener((changes) => {
    if (changes[UNLOCKED_SEED_KEY]?.newValue) void drainAudit();
  });
  onLock(forgetOpenedEntries);
  void drainAudit();
}
