// Managing conversations in the Messages tab, driven by clicks and typing: rename a counterparty in the
// thread header, block a request and unblock it again (what was sent while blocked stays dropped).
// One Chromium profile (the patient) and a stranger (a plain xmtp-js client) over a local relay.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../scripts/relay/server';
import { ExtensionSession } from './harness/extension';
import { bubble, expectMessage, messageFromStranger, openMessages, openTab, useMessagingNode } from './flows/messaging';
import { createVault } from './flows/vault';

describe('renaming, blocking and unblocking a conversation (one profile and a stranger, local relay)', () => {
  let relay: Relay;
  let dataDir: string;
  let patient: ExtensionSession;
  let patientAddress: string;
  let page: Page;
  // The same stranger every time (a fixed key), so it can write again after being blocked.
  const strangerKey = `0x${randomBytes(32).toString('hex')}`;
  let stranger: string;
  const fromStranger = async (text: string) => (stranger = (await messageFromStranger(relay.url, patientAddress, text, strangerKey)).toLowerCase());
  const shortAddress = () => `${stranger.slice(0, 6)}…${stranger.slice(-4)}`;
  const heading = () => page.getByTestId('thread-name');
  const focusedId = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'securemed-e2e-relay-'));
    relay = await startRelay({ port: 0, dataDir });
    patient = await ExtensionSession.launch();
  });

  afterAll(async () => {
    await patient?.close();
    await relay?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a vault and points it at the relay; a stranger writes and lands in Requests', async () => {
    const { address, popup } = await createVault(patient);
    patientAddress = address;
    await popup.close();
    await useMessagingNode(patient, relay.url);
    page = await openMessages(patient);
    await fromStranger('Hello, this is the front desk.');
    await expect.poll(() => page.getByTestId('tab-requests').textContent(), { timeout: 60_000 }).toContain('1');
    await openTab(page, 'Requests');
    await page.getByTestId('thread-list').getByRole('button').first().click();
    await expectMessage(page, 'Hello, this is the front desk.');
    expect(await heading().textContent()).toBe(shortAddress());
  });

  it('renames the counterparty in the thread header: Escape cancels, Enter saves, focus comes back', async () => {
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const input = page.getByLabel('Contact name');
    await expect.poll(focusedId).toBe('thread-rename-input');
    await input.fill('Someone else');
    await input.press('Escape');
    await expect.poll(() => input.count()).toBe(0);
    expect(await heading().textContent()).toBe(shortAddress());
    await expect.poll(focusedId).toBe('Rename');

    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await input.fill('Dr. Okafor');
    await patient.screenshot(page, 'messages-rename');
    await input.press('Enter');
    await expect.poll(() => heading().textContent()).toBe('Dr. Okafor');
    await expect.poll(focusedId).toBe('Rename');
    await expect.poll(() => page.getByTestId('thread-list').textContent()).toContain('Dr. Okafor');
    // Kept (encrypted) in the background: still there after a reload.
    await page.reload();
    await openTab(page, 'Requests');
    await expect.poll(() => page.getByTestId('thread-list').textContent(), { timeout: 20_000 }).toContain('Dr. Okafor');
  });

  it('blocks the request, lists it under Blocked; Unblock brings it back to Requests without what came while blocked', async () => {
    await page.getByRole('button', { name: /Dr\. Okafor/ }).click();
    await page.getByRole('button', { name: 'Block' }).click();
    const blocked = page.getByTestId('blocked-list');
    await expect.poll(() => blocked.textContent()).toContain('Dr. Okafor');
    await expect.poll(() => page.getByText('No message requests', { exact: false }).count()).toBe(1);

    await fromStranger('Written while blocked.');
    await patient.screenshot(page, 'messages-blocked');
    await blocked.getByRole('button', { name: 'Unblock' }).click();
    await expect.poll(() => blocked.count()).toBe(0);
    await page.getByTestId('thread-list').getByRole('button', { name: /Dr\. Okafor/ }).click();
    await expectMessage(page, 'Hello, this is the front desk.');
    expect(await page.getByRole('button', { name: 'Accept' }).count()).toBe(1);

    // A fresh worker catches up from the stored marks: the blocked-time message must not come back,
    // and one written after unblocking arrives (found by that same catch-up: no page, no stream).
    await page.close();
    await patient.stopServiceWorker();
    await fromStranger('Written after unblocking.');
    page = await openMessages(patient);
    await openTab(page, 'Requests');
    await page.getByTestId('thread-list').getByRole('button', { name: /Dr\. Okafor/ }).click({ timeout: 45_000 });
    await expectMessage(page, 'Written after unblocking.', 60_000);
    expect(await bubble(page, 'Written while blocked.').count()).toBe(0);
    expect(await page.getByTestId('message').count()).toBe(2);
  });
});
