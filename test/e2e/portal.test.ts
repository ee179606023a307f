import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type Portal } from '../../scripts/portal/server';
import { answerApproval } from './harness/approval';
import { ExtensionSession } from './harness/extension';
import { createVault } from './flows/vault';

/** The demo portal `npm start` serves, driven as a patient would: it uses only the portal SDK. */
describe('demo portal + extension', () => {
  let patient: ExtensionSession;
  let portal: Portal;

  beforeAll(async () => {
    [patient, portal] = await Promise.all([ExtensionSession.launch(), startPortal(0)]);
  });
  afterAll(async () => {
    await patient?.close();
    await portal?.close();
  });

  it('with no vault, the portal sees what any decline looks like (the window offers to set SecureMed up)', async () => {
    const other = await startPortal(0); // its decline cooldown must not touch `portal`
    const page = await patient.context.newPage();
    await page.goto(other.url);
    // The first answer needs a cold service worker: give it time on a busy machine (nothing is timed here).
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('SecureMed found');
    const approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    const win = await approval;
    await expect.poll(() => win.getByTestId('no-vault').textContent()).toContain('not set up in this browser');
    await answerApproval(win, "Don't allow");
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toBe('The patient declined the connection.');
    await page.close();
    await other.close();
  });

  it('connects after the patient allows it, and the portal learns only its own pairwise account', async () => {
    const { address: vaultAddress, popup } = await createVault(patient);
    await popup.close();
    const page = await patient.context.newPage();
    await page.goto(portal.url);
    const approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    const win = await approval;
    await answerApproval(win, 'Allow');
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Connected to SecureMed\. This portal knows you as 0x[0-9a-fA-F]{40}/);
    expect(await page.getByRole('status').textContent()).not.toContain(vaultAddress);
    await patient.screenshot(page, 'portal-connected');
    // Reloading keeps the connection without asking again.
    await page.reload();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Connected to SecureMed.');
    expect(await page.getByRole('button', { name: 'Connect SecureMed' }).isDisabled()).toBe(true);
    await page.close();
  });

  it('says so when the patient declines', async () => {
    const other = await startPortal(0);
    const page = await patient.context.newPage();
    await page.goto(other.url);
    const approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await approval, "Don't allow");
    await expect.poll(() => page.getByRole('status').textContent()).toBe('The patient declined the connection.');
    await page.close();
    await other.close();
  });
});
