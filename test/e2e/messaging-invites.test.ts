// Invite link / QR code in real Chromium (two profiles over a local relay), driven by clicks and typing:
// the patient shows an invite carrying a fresh identity; the doctor is told clearly when a pasted link is
// malformed or expired, then pastes the real one; the conversation runs on that identity both ways, and
// the relay's stored invitations pair the doctor only with it, never with the patient's main address.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import decodeQR from '@paulmillr/qr/decode.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../scripts/relay/server';
import { inviteLink, readInvite } from '../../shared/messaging/invite';
import { ExtensionSession } from './harness/extension';
import { expectMessage, openMessages, typeMessage, useMessagingNode } from './flows/messaging';
import { invitePairsOf, partnersByAddress } from './flows/messaging-partners';
import { createVault } from './flows/vault';

/** The QR code as the page draws it, rasterised in the page and decoded here by an independent decoder. */
async function scanQr(page: Page): Promise<string> {
  const image = await page.getByTestId('invite-qr').evaluate(async (svg) => {
    const size = 400;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, size, size);
    return { width: size, height: size, data: Array.from(ctx.getImageData(0, 0, size, size).data) };
  });
  return decodeQR({ width: image.width, height: image.height, data: new Uint8Array(image.data) });
}

describe('a patient invites a doctor with a link / QR code (two Chromium profiles, local relay)', () => {
  let relay: Relay;
  let dataDir: string;
  let patient: ExtensionSession;
  let doctor: ExtensionSession;
  let patientMain: string;
  let doctorAddress: string;
  let patientPage: Page;
  let doctorPage: Page;
  let link: string;
  const hello = `Hello, this is Dr. Okafor ${randomUUID().slice(0, 8)}`;
  const reply = `Thank you, doctor ${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'securemed-e2e-relay-'));
    relay = await startRelay({ port: 0, dataDir });
    [patient, doctor] = await Promise.all([ExtensionSession.launch(), ExtensionSession.launch()]);
  });

  afterAll(async () => {
    await Promise.all([patient?.close(), doctor?.close()]);
    await relay?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a vault in each profile and points both at the relay', async () => {
    for (const [session, set] of [
      [patient, (a: string) => (patientMain = a.toLowerCase())],
      [doctor, (a: string) => (doctorAddress = a.toLowerCase())],
    ] as const) {
      const { address, popup } = await createVault(session);
      set(address);
      await popup.close();
      await useMessagingNode(session, relay.url);
    }
  });

  it('the patient creates an invite: a QR code and a link, for a fresh address, valid for a while', async () => {
    patientPage = await openMessages(patient);
    await patientPage.getByRole('button', { name: 'Invite a doctor' }).click();
    await patientPage.getByLabel('Who is it for? (optional)').fill('Dr. Okafor');
    await patientPage.getByRole('button', { name: 'Create invite' }).click();
    await patientPage.getByTestId('invite-qr').waitFor({ timeout: 45_000 });
    link = await patientPage.getByLabel('Invite link', { exact: true }).inputValue();
    const check = readInvite(link);
    if (!check.ok) throw new Error(check.error);
    expect(check.invite.to).not.toBe(patientMain); // a fresh identity, not the public one
    expect(check.invite.expiresAt).toBeGreaterThan(Date.now() + 71 * 3600_000);
    expect(await patientPage.getByText('Valid until', { exact: false }).count()).toBe(1);
    expect(await patientPage.getByText('Dr. Okafor', { exact: false }).first().isVisible()).toBe(true);
    expect(await scanQr(patientPage)).toBe(link); // the code carries exactly the link
    await patient.screenshot(patientPage, 'messages-invite');
  });

  it('the doctor is told what is wrong with a malformed or an expired link', async () => {
    doctorPage = await openMessages(doctor);
    await doctorPage.getByRole('button', { name: 'New conversation' }).click();
    const field = doctorPage.getByLabel('Address or invite link');
    const start = doctorPage.getByRole('button', { name: 'Start conversation' });
    const alert = doctorPage.getByRole('alert');

    await field.fill(link.slice(0, link.indexOf('&exp=')));
    await start.click();
    await expect.poll(() => alert.textContent()).toContain('incomplete or damaged');

    const to = new URL(link).searchParams.get('to')!;
    await field.fill(inviteLink({ to, expiresAt: Date.now() - 3600_000 }));
    await start.click();
    await expect.poll(() => alert.textContent()).toContain('This invite expired on');
    await doctor.screenshot(doctorPage, 'messages-invite-expired');
  });

  it('the doctor pastes the invite and writes; the patient finds it in the inbox under the invite name and answers', async () => {
    await doctorPage.getByLabel('Address or invite link').fill(link);
    await doctorPage.getByRole('button', { name: 'Start conversation' }).click();
    await doctorPage.getByLabel('Message', { exact: true }).waitFor({ timeout: 45_000 });
    await typeMessage(doctorPage, hello);
    const seenAs = new URL(link).searchParams.get('to')!;
    await expect.poll(() => doctorPage.getByTestId('thread-name').textContent()).toContain(seenAs.slice(-4));

    await patientPage.getByRole('button', { name: 'Done' }).click();
    await patientPage.getByTestId('thread-list').getByRole('button', { name: /Dr\. Okafor/ }).click({ timeout: 60_000 });
    await expectMessage(patientPage, hello);
    expect(await patientPage.getByRole('button', { name: 'Accept' }).count()).toBe(0); // inbox, not Requests
    await typeMessage(patientPage, reply);
    await expectMessage(doctorPage, reply);
    await patient.screenshot(patientPage, 'messages-invite-joined');
  });

  it("the relay's invitations pair the doctor with the invite's identity only, never with the patient's main address", async () => {
    const seenAs = new URL(link).searchParams.get('to')!.toLowerCase();
    const partners = partnersByAddress(await invitePairsOf(relay.dataFile));
    expect([...(partners.get(doctorAddress) ?? [])]).toEqual([seenAs]);
    expect(partners.has(patientMain)).toBe(false);
  });
});
