import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateBundle } from '../../../shared/fhir/synthetic';
import type { ExtensionSession } from '../../../test/e2e/harness/extension';

/**
 * The vault.* figures, on the real built extension: 10,000 records imported through the vault tab's
 * file picker (the path a patient takes), then opening, index decryption and search through the same
 * runtime messages the vault page sends.
 */
const PASSPHRASE = 'bench passphrase for the vault';

/** Records, in the page, the moment the first timeline row is inserted (before any test polling). */
const FIRST_ROW_PROBE = () => {
  const w = window as unknown as { __firstRowAt?: number };
  new MutationObserver((_m, obs) => {
    if (document.querySelector('.record-row')) {
      w.__firstRowAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

const send = (page: Page, message: unknown) =>
  page.evaluate(async (m) => {
    const t0 = performance.now();
    const res = await (globalThis as any).chrome.runtime.sendMessage(m);
    if (!res?.ok) throw new Error(res?.error ?? 'no answer');
    return { ms: performance.now() - t0, result: res.result };
  }, message);

export async function createVaultByMessages(session: ExtensionSession): Promise<Page> {
  const page = await session.openPage('vault.html', { width: 1280, height: 900 });
  const { result } = await send(page, { type: 'vault.create.begin' });
  const words = (result as { words: string[] }).words;
  await send(page, { type: 'vault.create.finish', passphrase: PASSPHRASE, confirmations: [0, 5, 11].map((index) => ({ index, word: words[index] })) });
  await page.reload();
  return page;
}

export async function importThroughTab(page: Page, n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'securemed-bench-'));
  try {
    const file = join(dir, 'records-10k.json');
    writeFileSync(file, JSON.stringify(generateBundle(n, { seed: 2026 }).bundle));
    await page.getByRole('heading', { name: /Your records/ }).waitFor({ timeout: 30_000 });
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose files…' }).click();
    const t0 = Date.now();
    await (await chooser).setFiles(file);
    await page.getByTestId('import-summary').waitFor({ timeout: 20 * 60_000 });
    return (Date.now() - t0) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Open the vault tab; ms from navigation start until the first timeline row is in the DOM, and the part
 * of it after the vault script started (the rest is Chromium creating the extension page).
 */
export async function timeOpen(session: ExtensionSession): Promise<{ ms: number; scriptMs: number }> {
  const page = await session.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(FIRST_ROW_PROBE);
  await page.goto(session.url('vault.html'));
  await page.waitForFunction(() => (window as any).__firstRowAt !== undefined, undefined, { timeout: 60_000 });
  const times = await page.evaluate(() => {
    const first = (window as any).__firstRowAt as number;
    const start = performance.getEntriesByName('securemed-vault-script')[0]?.startTime ?? 0;
    return { ms: first, scriptMs: first - start };
  });
  await page.close();
  return times;
}

/** Lock, unlock (scrypt), then time the first records request: it decrypts the index into memory. */
export async function timeIndexDecrypt(page: Page): Promise<number> {
  await send(page, { type: 'vault.lock' });
  await send(page, { type: 'vault.unlock', passphrase: PASSPHRASE });
  return (await send(page, { type: 'records.summary' })).ms;
}

/** Median round trip of a search from the vault page (query → first page of matches). */
export async function timeSearch(page: Page): Promise<number> {
  const queries = ['hemoglobin', 'glucose serum', 'penicillin', 'lindqvist', 'a1c', 'pressure', 'influenza', 'xyz-no-match'];
  await send(page, { type: 'records.list', query: 'warm', offset: 0, limit: 50 });
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const query of queries) times.push((await send(page, { type: 'records.list', query, offset: 0, limit: 50 })).ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
