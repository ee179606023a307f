import { browser } from 'wxt/browser';

/**
 * Auto-lock after idle, driven by chrome.alarms: an alarm survives the worker being stopped, a
 * setTimeout does not. Every request from the patient's UI or a connected page counts as activity
 * and pushes the alarm back.
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
