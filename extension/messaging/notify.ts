import { browser } from 'wxt/browser';
import { logError } from '../logging/log';
import { setBadgeCount } from '../background/badge';

/**
 * What the patient sees outside the Messages page: the toolbar badge (unread inbox messages plus pending
 * requests) and a system notification. Notifications never carry message text or who sent it: the
 * screen may be visible to others, and the OS keeps notification history.
 */
export const NOTIFICATION_TEXT = 'New secure message';
const NOTIFICATION_ID = 'securemed-messages';
// The SecureMed mark (48×48 PNG): chrome.notifications needs an icon, and the extension ships none yet.
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAASklEQVR42u3YMQoAIAwDwO4+093/b/UHUhCh4IU84LZAYqzZqgEEBARUbR4DBAQEBPQfKB8HCAgICOgWZMuAgICAgDxoQEBAPUEbmpo6UceeVnYAAAAASUVORK5CYII=';

/** Messaging's share of the toolbar badge (the badge itself belongs to background/badge.ts). */
export async function setBadge(count: number): Promise<void> {
  await setBadgeCount('messages', count);
}

export async function notifyNewMessage(): Promise<void> {
  try {
    // One notification id: a burst of messages replaces it instead of stacking many.
    await browser.notifications.create(NOTIFICATION_ID, { type: 'basic', iconUrl: ICON, title: 'SecureMed', message: NOTIFICATION_TEXT, priority: 1 });
  } catch (error) {
    // Notifications can be turned off by the user or the OS; the badge still counts.
    logError('messaging', 'a notification could not be shown', error);
  }
}

export async function clearNotification(): Promise<void> {
  await browser.notifications.clear(NOTIFICATION_ID).catch(() => undefined);
}

/** A click on the notification opens the Messages page. Registered at worker start. */
export function onNotificationClicked(open: () => void): void {
  browser.notifications.onClicked.addListener((id) => {
    if (id === NOTIFICATION_ID) open();
  });
}
