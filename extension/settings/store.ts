import { browser } from 'wxt/browser';
import { DEFAULT_SETTINGS, Settings } from '../../shared/settings/schema';

/** Settings in storage.local, always read through the schema (a damaged value falls back to defaults). */
const KEY = 'settings';

export async function readSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY];
  const parsed = Settings.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function writeSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEY]: Settings.parse(settings) });
}
