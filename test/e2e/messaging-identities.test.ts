// One messaging identity per counterparty, in real Chromium: a patient writes to two doctors (three
// profiles over a local relay). Each doctor sees a different patient address, neither is in the other
// doctor's data, and the relay's stored invitations never put both doctors with one patient identity.
// Then the patient restores the vault from the phrase in a fresh profile: both conversations come back.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../scripts/relay/server';
import { ExtensionSession } from './harness/extension';
import { expectMessage, openMessages, openTab, startConversation, typeMessage, useMessagingNode } from './flows/messaging';
import { invitePairsOf, partnersByAddress } from './flows/messaging-partners';
import { createVault, restoreVault } from './flows/vault';

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

describe('a patient and two doctors: one patient identity per doctor, restored from the phrase', () => {
  let relay: Relay;
  let dataDir: string;
  let patient: ExtensionSession;
  const doctors: Record<'a' | 'b', { session?: ExtensionSession; address: string; page?: Page; seesPatientAs: string }> = {
    a: { address: '', seesPatientAs: '' },
    b: { address: '', seesPatientAs: '' },
  };
  let words: string[];
  let patientMain: string;
  const said = { a: `Question for doctor A ${randomUUID().slice(0, 8)}`, b: `Question for doctor B ${randomUUID().slice(0, 8)}` };
  const answered = { a: `Answer from doctor A ${randomUUID().slice(0, 8)}`, b: `Answer from doctor B ${randomUUID().slice(0, 8)}` };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'securemed-e2e-relay-'));
    relay = await startRelay({ port: 0, dataDir });
    const [p, a, b] = await Promise.all([ExtensionSession.launch(), ExtensionSession.launch(), ExtensionSession.launch()]);
    patient = p;
    doctors.a.session = a;
    doctors.b.session = b;
  });

  afterAll(async () => {
    await Promise.all([patient?.close(), doctors.a.session?.close(), doctors.b.session?.close()]);
    await relay?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates three vaults and points them at the relay', async () => {
    const made = await createVault(patient);
    words = made.words;
    patientMain = made.address.toLowerCase();
    await made.popup.close();
    await useMessagingNode(patient, relay.url);
    for (const d of Object.values(doctors)) {
      const { address, popup } = await createVault(d.session!);
      d.address = address.toLowerCase();
      await popup.close();
      await useMessagingNode(d.session!, relay.url);
    }
  });

  it('the patient writes to both doctors; each doctor sees a different patient address, not the main one', async () => {
    // Each doctor's extension is connected (its public address is on the node) before the patient writes.
    for (const d of Object.values(doctors)) d.page = await openMessages(d.session!);
    const page = await openMessages(patient);
    for (const key of ['a', 'b'] as const) {
      await startConversation(page, doctors[key].address, `Dr. ${key.toUpperCase()}`);
      await expect.poll(() => page.getByTestId('thread-me').textContent()).toContain('an address used only in this conversation');
      await typeMessage(page, said[key]);
      await expect.poll(() => page.getByTestId('message').filter({ hasText: said[key] }).getAttribute('data-delivery'), { timeout: 30_000 }).toBe('sent');
    }
    await patient.screenshot(page, 'messages-private-identity');

    for (const key of ['a', 'b'] as const) {
      const d = doctors[key];
      await openTab(d.page!, 'Requests');
      await d.page!.getByTestId('thread-list').getByRole('button').first().click({ timeout: 45_000 });
      await expectMessage(d.page!, said[key]);
      d.seesPatientAs = (await d.page!.locator('.thread-head .sm-address').textContent())!.trim().toLowerCase();
      await d.page!.getByRole('button', { name: 'Accept' }).click();
      await typeMessage(d.page!, answered[key]);
      await expect.poll(() => d.page!.getByTestId('message').filter({ hasText: answered[key] }).getAttribute('data-delivery'), { timeout: 30_000 }).toBe('sent');
      await page.getByTestId('thread-list').getByRole('button', { name: new RegExp(`Dr\\. ${key.toUpperCase()}`) }).click();
      await expectMessage(page, answered[key]);
      // Only this conversation's message reached this doctor.
      expect(await d.page!.getByTestId('message').filter({ hasText: said[key === 'a' ? 'b' : 'a'] }).count()).toBe(0);
    }
    expect(doctors.a.seesPatientAs).toMatch(/^0x[0-9a-f]{40}$/);
    expect(doctors.b.seesPatientAs).toMatch(/^0x[0-9a-f]{40}$/);
    expect(doctors.a.seesPatientAs).not.toBe(doctors.b.seesPatientAs);
    expect([doctors.a.seesPatientAs, doctors.b.seesPatientAs]).not.toContain(patientMain);
    await page.close();
  });

  it("neither patient address is in the other doctor's data, nor the patient's main address in either", async () => {
    for (const [key, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const s = doctors[key].session!;
      const data = JSON.stringify({ local: await s.readStorage('local'), session: await s.readStorage('session'), idb: await s.dumpIndexedDb() }).toLowerCase();
      expect(data).toContain('securemed-messaging'); // the scan sees the history database
      expect(data).not.toContain(doctors[other].seesPatientAs.slice(2));
      expect(data).not.toContain(patientMain.slice(2));
    }
  });

  it("keeps none of the patient's or the doctors' addresses in clear in the patient's messaging database", async () => {
    const db = JSON.stringify((await patient.dumpIndexedDb())['securemed-messaging']).toLowerCase();
    expect(db).toContain('identities'); // the scan sees the identities table
    for (const a of [patientMain, doctors.a.seesPatientAs, doctors.b.seesPatientAs, doctors.a.address, doctors.b.address]) expect(db).not.toContain(a.slice(2));
  });

  it('no invitation on the relay links the two doctors to one patient identity', async () => {
    const pairs = await invitePairsOf(relay.dataFile);
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    const partners = partnersByAddress(pairs);
    expect([...partners.get(doctors.a.seesPatientAs)!]).toEqual([doctors.a.address]);
    expect([...partners.get(doctors.b.seesPatientAs)!]).toEqual([doctors.b.address]);
    for (const d of Object.values(doctors)) expect([...partners.get(d.address)!]).toEqual([d.seesPatientAs]);
    expect(partners.has(patientMain)).toBe(false);
  });

  it('a restore from the phrase in a fresh profile brings both conversations back', async () => {
    await patient.close();
    patient = await ExtensionSession.launch();
    const popup = await restoreVault(patient, words.join(' '));
    await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 30_000 }).toContain('Unlocked');
    await popup.close();
    await useMessagingNode(patient, relay.url);
    const page = await openMessages(patient);
    const list = page.getByTestId('thread-list');
    // Names were this browser's own labels: the restored threads show the doctors' addresses.
    await expect.poll(() => list.getByRole('button').count(), { timeout: 60_000 }).toBe(2);
    for (const key of ['a', 'b'] as const) {
      await list.getByRole('button', { name: new RegExp(short(doctors[key].address).replace('…', '.')) }).click();
      await expectMessage(page, said[key]);
      await expectMessage(page, answered[key]);
      expect(await page.getByTestId('thread-me').getAttribute('title')).toBe(doctors[key].seesPatientAs);
    }
    // Both shown, so both read.
    await expect.poll(() => page.getByTestId('tab-inbox').textContent()).toBe('Inbox');
    await patient.screenshot(page, 'messages-restored');
    // And the conversation goes on from the restored identity.
    const more = `After the restore ${randomUUID().slice(0, 8)}`;
    await typeMessage(page, more);
    await expectMessage(doctors.b.page!, more);
  });
});
