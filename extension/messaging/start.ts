import { browser } from 'wxt/browser';
import { onLock } from '../keys/vault';
import { unlocked } from '../keys/unlocked';
import { refreshBadge } from './changes';
import { catchUp, ingest } from './inbox';
import { clearNotification, onNotificationClicked, setBadge } from './notify';
import { recoverPending } from './outbox';
import { endSession, messagingKeys, onNetworkMessage, onStreamLost, restartStreamIfLost, session } from './session';
import { logError } from '../logging/log';

/**
 * Messaging's background services (called once per worker start from background.ts).
 *
 * Keeping up while no page is open: a fetch stream does not keep an MV3 service worker alive, so the
 * stream is only the fast path while the worker happens to run. The guarantee is a chrome.alarms
 * catch-up every 30 s while the vault is unlocked: each alarm wakes (or keeps) the worker, which
 * reconnects, re-opens the one subscription and asks, in one batched read for every identity, for the
 * messages after the last one seen. See README.md.
 */
export const CATCH_UP_ALARM = 'securemed-messaging-catch-up';
const CATCH_UP_MINUTES = 0.5;

const RECOVERY_MS = 2_000;
let recovery: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | undefined;
let again = false;
let lastRun = 0;
let recovered = false;

export function startMessaging(): void {
  onNetworkMessage((s, me, m) => ingest(s, me, m));
  // While the worker lives, a dropped stream is followed by catch-ups every few seconds until the node
  // answers again (then the stream is re-opened); the alarm remains the backstop.
  onStreamLost(() => {
    if (recovery) return;
    recovery = setTimeout(() => {
      recovery = undefined;
      void keepUp(true);
    }, RECOVERY_MS);
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CATCH_UP_ALARM) void keepUp();
  });
  onLock(() => void stopMessaging());
  onNotificationClicked(() => void openMessagesPage());
  // A new messaging node URL: reconnect there (session() notices the change).
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.settings) void keepUp(true);
  });
  void keepUp(true);
}

/** Called by UI requests too (a page open means the patient is here): cheap when it ran a moment ago. */
export function kick(): void {
  if (Date.now() - lastRun > 5_000) void keepUp();
}

export function keepUp(force = false): Promise<void> {
  // A forced run (settings changed) during another run must still happen: it may target a new node.
  if (running) {
    if (force) again = true;
    return running;
  }
  if (!force && Date.now() - lastRun < 1_000) return Promise.resolve();
  running = (async () => {
    try {
      if (!(await unlocked())) return void (await stopMessaging());
      // Absent, or a one-shot alarm of the same name (it is gone once it fired): make it periodic again.
      if (!(await browser.alarms.get(CATCH_UP_ALARM))?.periodInMinutes) {
        await browser.alarms.create(CATCH_UP_ALARM, { periodInMinutes: CATCH_UP_MINUTES, delayInMinutes: CATCH_UP_MINUTES });
      }
      const { keys } = await messagingKeys();
      if (!recovered) {
        await recoverPending(keys);
        recovered = true;
        await refreshBadge(keys);
      }
      const s = await session();
      await catchUp(s);
      await restartStreamIfLost(s);
    } catch (error) {
      // Offline or locked mid-way: the connection state says so, the next alarm tries again.
      logError('messaging', 'catch-up did not finish (next alarm tries again)', error);
    } finally {
      lastRun = Date.now();
      running = undefined;
      if (again) {
        again = false;
        void keepUp(true);
      }
    }
  })();
  return running;
}

async function stopMessaging(): Promise<void> {
  await browser.alarms.clear(CATCH_UP_ALARM);
  await endSession('locked');
  // Locked: nothing can be read, so nothing is announced as waiting.
  await setBadge(0);
  await clearNotification();
}

export async function openMessagesPage(): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL('/messages.html') });
}
