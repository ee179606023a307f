import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Scope } from '../../shared/chain/scopes';
import { startPortal, type Portal } from '../../scripts/portal/server';
import { answerApproval } from './harness/approval';
import { ExtensionSession } from './harness/extension';
import { createVault, PASSPHRASE } from './flows/vault';
import { accessText, clickRequest, eventsText, pointExtensionAt, startConsentStack, type ConsentStack } from './flows/consent';

/**
 * The consent manager end to end, driven by clicks: the demo portal asks (through the SDK), the patient
 * decides in the approval window, the grant lands on a real local chain through the real relayer, and
 * the Sharing tab revokes it.
 */
describe('consent: a portal asks, the patient approves, the grant is on chain, the patient revokes', () => {
  let patient: ExtensionSession;
  let stack: ConsentStack;
  let portal: Portal;

  beforeAll(async () => {
    [patient, stack, portal] = await Promise.all([ExtensionSession.launch(), startConsentStack(), startPortal(0)]);
  }, 120_000);
  afterAll(async () => {
    await patient?.close();
    await portal?.close();
    await stack?.close();
  });

  const permissions = (page: Page) =>
    page.evaluate(() => (window as any).securemed.request({ method: 'securemed_getPermissions' })) as Promise<{
      permissions: Array<{ grantee: string; patient: string; status: string; scopes: string[]; purpose: string; txHash?: string }>;
    }>;

  it('sets up a vault and points it at the local chain and relayer', async () => {
    const { popup } = await createVault(patient);
    await popup.close();
    await pointExtensionAt(patient, stack);
  });

  it('connect → request labs + medicines for treatment, 30 days → approve → pending, then confirmed on chain → revoke in Sharing', async () => {
    let page = await patient.context.newPage();
    await page.goto(portal.url);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('SecureMed found');
    let approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await approval, 'Allow');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Connected to SecureMed');

    approval = patient.waitForApprovalWindow();
    await clickRequest(page);
    const win = await approval;
    // In order: the site, the grantee (verified), what, why, until when, free.
    await expect.poll(() => win.getByTestId('origin').textContent(), { timeout: 15_000 }).toContain('127.0.0.1');
    await expect.poll(() => win.getByTestId('grantee-status').textContent()).toContain('Verified provider');
    expect(await win.getByTestId('grantee-status').textContent()).toContain('licence valid until');
    expect(await win.getByRole('checkbox', { name: 'Lab results' }).isChecked()).toBe(true);
    expect(await win.getByRole('checkbox', { name: 'Medicines' }).isChecked()).toBe(true);
    expect(await win.getByTestId('purpose').textContent()).toBe('Your treatment');
    expect(await win.getByLabel('How long access lasts').inputValue()).toBe('30');
    expect(await win.getByTestId('expiry').textContent()).toMatch(/\d{4}/);
    expect(await win.locator('body').textContent()).toContain('This costs you nothing');
    expect(await win.locator('body').textContent()).not.toMatch(/[{}]|patient\/Observation/); // no raw JSON or scope strings
    await patient.screenshot(win, 'consent-approve');
    await answerApproval(win, 'Allow');

    await expect.poll(() => accessText(page), { timeout: 15_000 }).toMatch(/^Access (pending|active)/);
    await expect.poll(() => eventsText(page), { timeout: 30_000 }).toContain('permissionsChanged: active');
    expect(await accessText(page)).toMatch(/^Access active \(tx 0x[0-9a-f]{64}\)/);

    const { permissions: held } = await permissions(page);
    expect(held).toHaveLength(1);
    const [p] = held;
    expect(p).toMatchObject({ grantee: portal.grantee, status: 'active', purpose: 'TREAT' });
    expect(p.scopes).toEqual(['patient/Observation.rs?category=laboratory', 'patient/MedicationRequest.rs']);
    const hasAccess = (scope: number) => stack.chain.consent.getFunction('hasAccess')(p.patient, portal.grantee, scope) as Promise<boolean>;
    expect(await hasAccess(Scope.LABS)).toBe(true);
    expect(await hasAccess(Scope.MEDICATIONS)).toBe(true);
    expect(await hasAccess(Scope.VITALS)).toBe(false);
    expect(await hasAccess(Scope.MENTAL_HEALTH)).toBe(false);

    // The popup says so in one line.
    const popup = await patient.openPopup();
    await expect.poll(() => popup.getByTestId('sharing-summary').textContent(), { timeout: 15_000 }).toContain('1 site can see some of your records');
    await popup.close();

    // Sites and permissions are vault data: a browser restart (which locks the vault) keeps them.
    await page.close();
    await patient.restartBrowser();
    expect((await patient.askBackground({ type: 'vault.unlock', passphrase: PASSPHRASE })).ok).toBe(true);
    const listed = await patient.askBackground<{ sites: Array<{ origin: string; permissions: Array<{ status: string }> }> }>({ type: 'consent.sites' });
    expect(listed.result?.sites.map((s) => [s.origin, s.permissions.map((x) => x.status)])).toEqual([[portal.url, ['active']]]);
    page = await patient.context.newPage();
    await page.goto(portal.url);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Connected to SecureMed.');

    // The Sharing tab lists it; "Stop sharing" revokes at once here and on chain shortly after.
    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 900 });
    const site = vault.getByTestId('site');
    await expect.poll(() => site.textContent(), { timeout: 15_000 }).toContain('Verified provider');
    const text = (await site.textContent())!;
    expect(text).toContain('Lab results');
    expect(text).toContain('Medicines');
    expect(text).toContain('Your treatment');
    expect(text).toMatch(/30 days left|29 days left/);
    expect(text).toContain('on the network');
    await patient.screenshot(vault, 'consent-sharing');
    await vault.getByRole('button', { name: /^Stop sharing with/ }).click();
    // (The site's text rides along so a refusal's reason shows up if this fails.)
    await expect.poll(async () => `${await hasAccess(Scope.LABS)} ${await site.textContent()}`, { timeout: 30_000 }).toMatch(/^false /);
    // The relayer's confirmation reaches SecureMed a moment after the block (it polls): no timing claim here.
    await expect.poll(() => site.textContent(), { timeout: 30_000 }).toContain('sees none of your records');
    await expect.poll(() => eventsText(page), { timeout: 30_000 }).toContain('permissionsChanged: revoked');
    await vault.close();
    await page.close();
  });
});
