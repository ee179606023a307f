import { browser } from 'wxt/browser';
import { toHex } from '../../shared/crypto/bytes';
import { UNLOCKED_SEED_KEY, unlocked } from '../keys/unlocked';
import { logError, logged } from '../logging/log';
import { consentNow } from './permissions';
import { loadSites, type SiteRecord } from './store';
import { registrableDomain } from './views';

/**
 * A reminder a few days before a grant ends: one system notification per permission and per expiry
 * ("Your permission for example.org ends on Sat 28 Nov"), never health data — no categories, no
 * provider. Checked daily (chrome.alarms, survives worker stops) and at each unlock; a click opens the
 * Sharing tab, where the same permission shows "Ends in 2 days" with Renew and Narrow.
 *
 * Which reminders were shown is kept in storage.local as SHA-256 digests of (origin, grantee, expiry),
 * so a worker or browser restart does not show one twice, and the list names no site in the clear.
 * A renew gives a new expiry, hence a new reminder when that one nears.
 */
export const EXPIRY_ALARM = 'securemed-consent-expiry';
export const REMIND_DAYS = 3;
export const REMINDERS_SHOWN_KEY = 'consentRemindersShown';
const NOTIFICATION_PREFIX = 'securemed-expiry:';
const MAX_REMEMBERED = 256;
const DAY_MS = 86_400_000;
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAASklEQVR42u3YMQoAIAwDwO4+093/b/UHUhCh4IU84LZAYqzZqgEEBARUbR4DBAQEBPQfKB8HCAgICOgWZMuAgICAgDxoQEBAPUEbmpo6UceeVnYAAAAASUVORK5CYII=';

export interface DueReminder {
  origin: string;
  grantee: string;
  expiresAt: number;
}

/** An active grant on chain that ends within REMIND_DAYS of `now` (ms, the chain's clock) and has not ended. */
export function endsSoon(p: { status: string; chain: string; expiresAt: number }, now: number): boolean {
  const left = p.expiresAt * 1000 - now;
  return p.status === 'active' && p.chain === 'granted' && left > 0 && left <= REMIND_DAYS * DAY_MS;
}

/** The permissions of connected sites that need a reminder now (pure: the caller reads the sites and the clock). */
export function dueReminders(sites: SiteRecord[], now: number): DueReminder[] {
  return sites
    .filter((s) => !s.disconnectedAt)
    .flatMap((s) => s.permissions.filter((p) => endsSoon(p, now)).map((p) => ({ origin: s.origin, grantee: p.grantee.toLowerCase(), expiresAt: p.expiresAt })));
}

/** "Sat 28 Nov" — the same words in the notification and in the Sharing tab. */
export function endDateWords(expiresAt: number): string {
  return new Date(expiresAt * 1000).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
}

async function digest(r: DueReminder): Promise<string> {
  const bytes = new TextEncoder().encode(`${r.origin}\n${r.grantee}\n${r.expiresAt}`);
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

async function shownDigests(): Promise<string[]> {
  const stored = await browser.storage.local.get(REMINDERS_SHOWN_KEY);
  const list = stored[REMINDERS_SHOWN_KEY];
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

let running: Promise<number> | undefined;

/**
 * Show the reminders that are due and not yet shown. Returns how many were newly shown. Nothing while
 * locked (the sites are vault data). Never throws: notifications may be off (logged quietly).
 */
export function checkExpiryReminders(): Promise<number> {
  // One check at a time in this worker: the alarm and an unlock arriving together show nothing twice.
  running ??= run().finally(() => (running = undefined));
  return running;
}

async function run(): Promise<number> {
  try {
    if (!(await unlocked())) return 0;
    const due = dueReminders(await loadSites(), await consentNow());
    if (due.length === 0) return 0;
    const shown = await shownDigests();
    let count = 0;
    for (const reminder of due) {
      const id = await digest(reminder);
      if (shown.includes(id)) continue;
      // Remembered before it is shown: a worker stopped in between misses one reminder rather than
      // showing it twice; a notification that fails (turned off) is not retried every day either.
      shown.push(id);
      await browser.storage.local.set({ [REMINDERS_SHOWN_KEY]: shown.slice(-MAX_REMEMBERED) });
      count++;
      try {
        await browser.notifications.create(`${NOTIFICATION_PREFIX}${id.slice(0, 16)}`, {
          type: 'basic',
          iconUrl: ICON,
          title: 'SecureMed',
          message: `Your permission for ${registrableDomain(reminder.origin)} ends on ${endDateWords(reminder.expiresAt)}`,
          priority: 0,
        });
      } catch (error) {
        logError('consent', 'an expiry reminder could not be shown', error);
      }
    }
    return count;
  } catch (error) {
    logError('consent', 'check expiring permissions', error);
    return 0;
  }
}

/** Background wiring (once per worker start): daily alarm, at unlock, and the click that opens Sharing. */
export function startExpiryReminders(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === EXPIRY_ALARM) void checkExpiryReminders();
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && changes[UNLOCKED_SEED_KEY]?.newValue) void checkExpiryReminders();
  });
  browser.notifications?.onClicked.addListener((id) => {
    if (!id.startsWith(NOTIFICATION_PREFIX)) return;
    void browser.tabs.create({ url: browser.runtime.getURL('/vault.html#sharing') }).catch(logged('consent', 'open Sharing from a reminder'));
    void browser.notifications.clear(id).catch(() => undefined);
  });
  void browser.alarms
    .get(EXPIRY_ALARM)
    .then(async (alarm) => {
      if (!alarm) await browser.alarms.create(EXPIRY_ALARM, { periodInMinutes: 24 * 60, delayInMinutes: 1 });
    })
    .catch(logged('consent', 'schedule expiry reminders'));
  void checkExpiryReminders();
}
