import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Download, Page } from 'playwright-core';
import type { ExtensionSession } from '../harness/extension';

/** The record vault as a person uses it: the vault tab, files picked in the file dialog, clicks. */
const dir = mkdtempSync(join(tmpdir(), 'securemed-records-'));

export function writeTempFile(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export async function openVaultTab(session: ExtensionSession): Promise<Page> {
  const page = await session.openPage('vault.html', { width: 1280, height: 900 });
  await page.getByRole('heading', { name: /Your records/ }).waitFor({ timeout: 30_000 });
  return page;
}

/** Pick files with "Choose files…" and wait until the import summary is shown. */
export async function importThroughUi(page: Page, paths: string[]): Promise<string> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose files…' }).click();
  await (await chooser).setFiles(paths);
  const summary = page.getByTestId('import-summary');
  await summary.waitFor({ timeout: 120_000 });
  return (await summary.textContent())!;
}

export async function listCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('list-count').textContent())!;
  return Number(text.replace(/[^\d]/g, ''));
}

/** Click a button and return the file it downloads, as text. */
export async function downloadText(page: Page, click: () => Promise<void>): Promise<{ text: string; download: Download }> {
  const pending = page.waitForEvent('download', { timeout: 60_000 });
  await click();
  const download = await pending;
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  return { text: readFileSync(path, 'utf8'), download };
}

/** Flip one byte in a stored record's ciphertext, from inside the extension (as a disk error would). */
export async function corruptStoredRecord(session: ExtensionSession, recordId: string): Promise<void> {
  const page = await session.openPage('popup.html');
  const changed = await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const req = indexedDB.open('securemed-vault');
      req.onsuccess = () => res(req.result);
      req.onerror = () => rej(req.error);
    });
    const store = db.transaction('records', 'readwrite').objectStore('records');
    const row = await new Promise<any>((res) => {
      const req = store.get(id);
      req.onsuccess = () => res(req.result);
    });
    if (!row) return false;
    row.envelope[40] ^= 0xff;
    await new Promise((res) => {
      const req = store.put(row);
      req.onsuccess = res;
    });
    db.close();
    return true;
  }, recordId);
  await page.close();
  expect(changed).toBe(true);
}
