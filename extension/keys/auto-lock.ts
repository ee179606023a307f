import { browser } from 'wxt/browser';

/**
 * Auto-lock after idle, driven by chrome.alarms: an alarm survives the worker being stopped, a
 * setTimeout does not. Only the patient's own actions in SecureMed's pages count as activity and push
 * the alarm back; a web page's requests never do (a page polling us must not keep the vault open).
 */
export const AUTO_LOCK_ALARM = 'securemed-auto-lock';

export async function scheduleAutoLock(minutes: number): Promise<void> {
  await browser.alarms.create(AUTO_LOCK_ALARM, { when: Date.now() + minutes * 60_000 });
}

export async function cancelAutoLock(): Promise<void> {
  await browser.alarms.clear(AUTO_LOCK_ALARM);
}

export function onAutoLock(lock: () => Promise<void>): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === AUTO_LOCK_ALARM) void lock();
  });
}
