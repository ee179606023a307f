import { browser } from 'wxt/browser';
import { UiError } from '../../shared/protocol/ui-errors';

/**
 * Guessing the passphrase through the unlock form: one attempt at a time, and growing delays after
 * wrong ones (kept in storage.local, so restarting the worker or the browser does not reset them).
 * The first few mistakes cost nothing: people mistype.
 */
const KEY = 'unlockThrottle';
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 5 * 60_000;

interface ThrottleState {
  failures: number;
  /** No attempt before this time (ms since epoch). */
  until: number;
}

let attemptInFlight = false;

/** Delay after `failures` wrong passphrases in a row: 0 for the first three, then 2 s, 4 s, 8 s … 5 min. */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, 2 ** (failures - FREE_FAILURES + 1) * 1000);
}

async function readState(): Promise<ThrottleState> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<ThrottleState> | undefined;
  const failures = Number.isSafeInteger(stored?.failures) ? Math.max(0, stored!.failures!) : 0;
  const until = Number.isFinite(stored?.until) ? stored!.until! : 0;
  return { failures, until };
}

/**
 * Run one unlock attempt under the throttle. `isWrongPassphrase` tells a wrong passphrase (counted)
 * from other failures (not counted).
 */
export async function throttledUnlock<T>(attempt: () => Promise<T>, isWrongPassphrase: (error: unknown) => boolean): Promise<T> {
  if (attemptInFlight) throw new UiError('conflict', 'SecureMed is already checking a passphrase. Please wait a moment.');
  attemptInFlight = true;
  try {
    const state = await readState();
    const wait = state.until - Date.now();
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new UiError('invalid', `Too many wrong passphrases. Please wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`);
    }
    try {
      const result = await attempt();
      await browser.storage.local.remove(KEY);
      return result;
    } catch (error) {
      if (isWrongPassphrase(error)) {
        const failures = state.failures + 1;
        await browser.storage.local.set({ [KEY]: { failures, until: Date.now() + delayAfter(failures) } satisfies ThrottleState });
      }
      throw error;
    }
  } finally {
    attemptInFlight = false;
  }
}
