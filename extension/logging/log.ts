import { browser } from 'wxt/browser';
import { UiError } from '../../shared/protocol/ui-errors';

/**
 * A small support log for errors the background deliberately survives (a relay that is down, a
 * notification that could not be shown, a damaged index chunk…). It exists so "it silently did nothing"
 * can be diagnosed from the settings page.
 *
 * It never holds health data, keys, addresses or message text: each entry is the place (`area`), a
 * fixed description written at the call site (`what`), and the error's *kind* — its name, and its
 * message only for UiErrors, whose messages are written for the patient and carry no data. Entries
 * live in storage.local (trusted contexts only), newest last, at most MAX_ENTRIES.
 */
export type { SupportLogEntry as LogEntry } from '../../shared/protocol/ui/core';
import type { SupportLogEntry as LogEntry } from '../../shared/protocol/ui/core';

const KEY = 'supportLog';
export const MAX_ENTRIES = 200;
let writes: Promise<void> = Promise.resolve();

function kindOf(error: unknown): string {
  if (error instanceof UiError) return `${error.code}: ${error.message}`.slice(0, 200);
  if (error instanceof Error) return error.name.slice(0, 60);
  if (error === undefined || error === null) return 'none';
  return typeof error;
}

/** Record a survived error. Never throws; repeated identical entries are counted, not duplicated. */
export function logError(area: string, what: string, error?: unknown): void {
  const entry: LogEntry = { at: Date.now(), area: area.slice(0, 40), what: what.slice(0, 160), kind: kindOf(error), count: 1 };
  writes = writes
    .then(async () => {
      const entries = await readLog();
      const last = entries.at(-1);
      if (last && last.area === entry.area && last.what === entry.what && last.kind === entry.kind) {
        last.count += 1;
        last.at = entry.at;
      } else {
        entries.push(entry);
      }
      await browser.storage.local.set({ [KEY]: entries.slice(-MAX_ENTRIES) });
    })
    .catch(() => undefined); // the log itself must never break what it observes
}

/** A `.catch()` handler that logs and swallows: `promise.catch(logged('messaging', 'stop stream'))`. */
export function logged(area: string, what: string): (error: unknown) => undefined {
  return (error) => {
    logError(area, what, error);
    return undefined;
  };
}

export async function readLog(): Promise<LogEntry[]> {
  const stored = (await browser.storage.local.get(KEY))[KEY];
  return Array.isArray(stored) ? (stored as LogEntry[]) : [];
}

export async function clearLog(): Promise<void> {
  await writes;
  await browser.storage.local.remove(KEY);
}

/** Wait for pending writes (tests, and the settings page's "copy log"). */
export function flushLog(): Promise<void> {
  return writes;
}
