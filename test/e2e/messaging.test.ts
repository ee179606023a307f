// Patient–doctor messaging in two real Chromium profiles over a local relay, driven by clicks and typing.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../scripts/relay/server';
import { ExtensionSession } from './harness/extension';
import { badgeText, bubble, expectMessage, messageFromStranger, openMessages, openTab, startConversation, typeMessage, useMessagingNode } from './flows/messaging';
import { createVault } from './flows/vault';

describe('messaging between a patient and a doctor (two Chromium profiles, local relay)', () => {
  let relay: Relay;
  let relayPort: number;
  let dataDir: string;
  let patient: ExtensionSession;
  let doctor: ExtensionSession;
  let patientAddress: string;
  let doctorAddress: string;
  let patientPage: Page;
  let doctorPage: Page;
  const sent: string[] = [];
  // A unique marker per message, so "no plaintext anywhere" cannot pass by accident.
  const text = (label: string) => {
    const s = `${label} ${randomUUID().slice(0, 8)}`;
    sent.push(s);
    return s;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'securemed-e2e-relay-'));
    relay = await startRelay({ port: 0, dataDir });
    relayPort = relay.port;
    [patient, doctor] = await Promise.all([ExtensionSession.launch(), ExtensionSession.launch()]);
  });

  afterAll(async () => {
    await Promise.all([patient?.close(), doctor?.close()]);
    await relay?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // expect.poll (used by the onboarding flow) only runs inside a test, so the setup is the first test.
  it('creates a vault in each profile and points both at the relay through Settings', async () => {
    for (const [session, set] of [
      [patient, (a: string) => (patientAddress = a)],
      [doctor, (a: string) => (doctorAddress = a)],
    ] as const) {
      const { address, popup } = await createVault(session);
      set(address);
      await popup.close();
      await useMessagingNode(session, relay.url);
    }
    expect(patientAddress).not.toBe(doctorAddress);
  });

  it('patient starts a conversation; the doctor finds it in Requests, accepts and answers; both by typing', async () => {
    [patientPage, doctorPage] = await Promise.all([openMessages(patient), openMessages(doctor)]);
    await startConversation(patientPage, doctorAddress, 'Dr. Rivera');
    const question = text('Could we move my appointment to Friday?');
    await typeMessage(patientPage, question);
    await expect.poll(() => bubble(patientPage, question).getAttribute('data-delivery'), { timeout: 30_000 }).toBe('sent');
    expect(await patientPage.getByLabel('Message', { exact: true }).inputValue()).toBe('');

    await openTab(doctorPage, 'Requests');
    await doctorPage.getByTestId('thread-list').getByRole('button').first().click({ timeout: 45_000 });
    await expectMessage(doctorPage, question);
    await doctorPage.getByRole('button', { name: 'Accept' }).click();
    const answer = text('Friday at 10:00 works. See you then.');
    await typeMessage(doctorPage, answer);
    await expectMessage(patientPage, answer);
    expect(await patientPage.getByTestId('thread-name').textContent()).toBe('Dr. Rivera');
    // The chain is not running in this test: the directory status says so instead of guessing.
    await expect.poll(() => patientPage.getByTestId('verification').textContent(), { timeout: 10_000 }).toBe('Verification unavailable');
    // Showing the thread marks it read.
    await expect.poll(() => patientPage.getByTestId('tab-inbox').textContent()).toBe('Inbox');
    await patient.screenshot(patientPage, 'messages-thread');
    await openTab(doctorPage, 'Inbox');
    expect(await doctorPage.getByTestId('thread-list').getByRole('button').count()).toBe(1);
    await doctor.screenshot(doctorPage, 'messages-inbox');
  });

  it('a message that arrives while no patient page is open and the worker is stopped raises the badge (alarm catch-up)', async () => {
    await patientPage.close();
    await expect.poll(() => badgeText(patient)).toBe('');
    // The catch-up alarm is moved a few seconds ahead, so the wake comes soon and always from the alarm
    // (the worker makes it periodic again when it runs). This is how issue 16's restart regression
    // showed every time: a conversation lost from its identity's row was followed by nobody after a wake.
    const live = await patient.serviceWorker();
    await live.evaluate(() => (globalThis as any).chrome.alarms.create('securemed-messaging-catch-up', { when: Date.now() + 12_000 }));
    // No page, no worker, so no stream: only the chrome.alarms catch-up (every 30 s) can notice it.
    await patient.stopServiceWorker();
    const later = text('Please bring your latest lab results.');
    await typeMessage(doctorPage, later);
    await expect.poll(() => badgeText(patient), { timeout: 75_000, interval: 2_000 }).toBe('1');
    const worker = await patient.serviceWorker();
    expect(Object.keys(await worker.evaluate(() => (globalThis as any).chrome.notifications.getAll()))).toEqual(['securemed-messages']);
    const popup = await patient.openPopup();
    await expect.poll(() => popup.getByTestId('messages-summary').textContent()).toContain('1 unread message');
    await patient.screenshot(popup, 'messages-popup-summary');
    const [tab] = await Promise.all([patient.context.waitForEvent('page'), popup.getByRole('button', { name: 'Open messages' }).click()]);
    patientPage = tab;
    await tab.getByRole('button', { name: /Dr\. Rivera/ }).click();
    await expectMessage(tab, later);
    await expect.poll(() => badgeText(patient)).toBe('');
    const alarm = await (await patient.serviceWorker()).evaluate(() => (globalThis as any).chrome.alarms.get('securemed-messaging-catch-up'));
    expect(alarm.periodInMinutes).toBe(0.5); // periodic again after the one-shot wake
  });

  it('shows a send as failed while the relay is down; Retry after it is back delivers it exactly once', async () => {
    await relay.close();
    const offline = text('Sent while the relay was down.');
    await typeMessage(patientPage, offline);
    await expect.poll(() => bubble(patientPage, offline).getAttribute('data-delivery'), { timeout: 30_000 }).toBe('failed');
    await expect.poll(() => bubble(patientPage, offline).getByRole('button', { name: 'Retry' }).count()).toBe(1);
    await patient.screenshot(patientPage, 'messages-failed-send');

    relay = await startRelay({ port: relayPort, dataDir });
    await bubble(patientPage, offline).getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => bubble(patientPage, offline).getAttribute('data-delivery'), { timeout: 30_000 }).toBe('sent');
    await expectMessage(doctorPage, offline, 60_000);
    // A second catch-up must not add a copy either.
    await doctorPage.reload();
    await doctorPage.getByRole('button', { name: /0x/ }).first().click();
    await expectMessage(doctorPage, offline);
  });

  it('keeps history and streaming across a forced service-worker restart', async () => {
    await patientPage.close();
    await patient.stopServiceWorker();
    expect(await patient.workerRunning()).toBe(false);
    patientPage = await openMessages(patient);
    await patientPage.getByRole('button', { name: /Dr\. Rivera/ }).click();
    for (const s of sent.slice(0, 4)) await expectMessage(patientPage, s, 10_000);
    const afterRestart = text('Your prescription is ready.');
    await typeMessage(doctorPage, afterRestart);
    await expectMessage(patientPage, afterRestart);
    expect(await patientPage.getByTestId('message').count()).toBe(sent.length); // every message of this thread so far, once
  });

  it('puts a message from an unknown address in Requests, not the inbox; Block drops it', async () => {
    const spam = text('Hello, I am nobody you know.');
    const stranger = (await messageFromStranger(relay.url, patientAddress, spam)).toLowerCase();
    await expect.poll(() => patientPage.getByTestId('tab-requests').textContent(), { timeout: 60_000 }).toContain('1');
    expect(await patientPage.getByTestId('thread-list').textContent()).not.toContain(stranger.slice(-4));
    await openTab(patientPage, 'Requests');
    await patientPage.getByTestId('thread-list').getByRole('button').first().click();
    await expectMessage(patientPage, spam);
    await patientPage.getByRole('button', { name: 'Accept' }).waitFor();
    await patient.screenshot(patientPage, 'messages-requests');
    await patientPage.getByRole('button', { name: 'Block' }).click();
    await expect.poll(() => patientPage.getByText('No message requests', { exact: false }).count()).toBe(1);
    await openTab(patientPage, 'Inbox');
    expect(await patientPage.getByTestId('thread-list').getByRole('button').count()).toBe(1);
  });

  it('stores no plaintext: not on the relay, not in the extension storage', async () => {
    expect(sent.length).toBeGreaterThanOrEqual(6);
    const raw = readFileSync(relay.dataFile);
    const decoded = Buffer.concat(readFileSync(relay.dataFile, 'utf8').trim().split('\n').map((l) => Buffer.from(JSON.parse(l).m, 'base64')));
    expect(decoded.length).toBeGreaterThan(1000); // the scan sees real envelopes
    for (const session of [patient, doctor]) {
      const stored = JSON.stringify({ local: await session.readStorage('local'), session: await session.readStorage('session'), idb: await session.dumpIndexedDb() });
      expect(stored).toContain('securemed-messaging'); // the history database exists and was scanned
      for (const s of sent) {
        const marker = s.split(' ').pop()!;
        expect(raw.includes(marker)).toBe(false);
        expect(decoded.includes(Buffer.from(marker))).toBe(false);
        expect(stored).not.toContain(marker);
      }
    }
    const patientDb = JSON.stringify((await patient.dumpIndexedDb())['securemed-messaging']);
    expect(patientDb.toLowerCase()).not.toContain(doctorAddress.toLowerCase().slice(2));
  });
});
