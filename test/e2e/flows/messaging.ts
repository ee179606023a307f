import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { ExtensionSession } from '../harness/extension';

/** Messaging as a person does it: settings page, Messages tab, typing. Reused by messaging e2e tests. */

/** Point the profile at a messaging node through the Settings page (needs an unlocked vault). */
export async function useMessagingNode(session: ExtensionSession, url: string): Promise<void> {
  const settings = await session.openPage('options.html');
  await settings.getByLabel('Messaging node URL').fill(url);
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings.getByRole('button', { name: 'Yes, switch network' }).click();
  await expect.poll(() => settings.getByRole('status').last().textContent()).toContain('Settings saved');
  await settings.close();
}

/** The Messages tab, once it is connected to the node. */
export async function openMessages(session: ExtensionSession): Promise<Page> {
  const page = await session.openPage('messages.html');
  await expect.poll(() => page.getByText('Connected', { exact: true }).count(), { timeout: 45_000 }).toBe(1);
  return page;
}

export async function startConversation(page: Page, address: string, name?: string): Promise<void> {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByLabel('Address').fill(address);
  if (name) await page.getByLabel('Name (optional)').fill(name);
  await page.getByRole('button', { name: 'Start conversation' }).click();
  await page.getByLabel('Message', { exact: true }).waitFor();
}

/** Type and press Enter, like a person. */
export async function typeMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

export function bubble(page: Page, text: string) {
  return page.getByTestId('message').filter({ hasText: text });
}

export async function expectMessage(page: Page, text: string, timeout = 45_000): Promise<void> {
  await expect.poll(() => bubble(page, text).count(), { timeout }).toBe(1);
}

export async function openTab(page: Page, tab: 'Inbox' | 'Requests'): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
}

/** The toolbar badge text, read in the extension's worker. */
export async function badgeText(session: ExtensionSession): Promise<string> {
  const worker = await session.serviceWorker();
  return worker.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}));
}

const run = promisify(execFile);

/**
 * A message from an address the patient never heard of: a plain xmtp-js client outside any browser
 * (run under tsx, where xmtp-js loads as CommonJS). Returns the stranger's address. The same
 * `privateKey` (hex) writes again as the same stranger; without one, each call is someone new.
 */
export async function messageFromStranger(relayUrl: string, to: string, text: string, privateKey?: string): Promise<string> {
  const script = resolve(__dirname, 'messaging-stranger.ts');
  const { stdout } = await run('npx', ['tsx', script, relayUrl, to, text, ...(privateKey ? [privateKey] : [])], { cwd: resolve(__dirname, '../../..'), timeout: 60_000 });
  return stdout.trim().split('\n').pop()!;
}
