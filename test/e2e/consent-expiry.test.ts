import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Scope } from '../../shared/chain/scopes';
import { startPortal, type Portal } from '../../scripts/portal/server';
import { ExtensionSession } from './harness/extension';
import { createVault } from './flows/vault';
import { accessText, advanceChainTime, allowPermissionRequest, clickRequest, connectSite, openDemoSite, pointExtensionAt, startConsentStack, type ConsentStack } from './flows/consent';

/**
 * The expiry reminder, in Chromium with a real local chain and relayer: a 30-day grant, chain time
 * moved to 2 days before it ends → the background remembers one reminder (and not a second one after a
 * worker restart), the Sharing tab shows "Ends in 2 days (…)" with Renew and Narrow → Renew for 30 days
 * → a new grant confirmed on chain with the later expiry, still giving access once the old one has passed.
 */
const DAY = 86_400;
const SHOWN_KEY = 'consentRemindersShown';

describe('consent expiry reminder: renew before the grant ends', () => {
  let patient: ExtensionSession;
  let stack: ConsentStack;
  let portal: Portal;

  beforeAll(async () => {
    [patient, stack, portal] = await Promise.all([ExtensionSession.launch(), startConsentStack(), startPortal(0)]);
  }, 180_000);
  afterAll(async () => {
    await patient?.close();
    await portal?.close();
    await stack?.close();
  });

  const grantOf = async (patientAccount: string) => {
    const g = await stack.chain.consent.getFunction('grantOf')(patientAccount, portal.grantee);
    return { scopes: Number(g.scopes), expiresAt: Number(g.expiresAt) };
  };
  const hasAccess = (patientAccount: string, scope: number) => stack.chain.consent.getFunction('hasAccess')(patientAccount, portal.grantee, scope) as Promise<boolean>;
  const permissionsOf = (page: Page) =>
    page.evaluate(() => (window as any).securemed.request({ method: 'securemed_getPermissions' })) as Promise<{
      permissions: Array<{ patient: string; status: string; expiresAt: number }>;
    }>;
  const remindersShown = async () => ((await patient.readStorage('local'))[SHOWN_KEY] as string[] | undefined) ?? [];

  let patientAccount = '';
  let firstExpiry = 0;

  it('grants labs and medicines for 30 days through the demo portal', async () => {
    const { popup } = await createVault(patient);
    await popup.close();
    await pointExtensionAt(patient, stack);
    const page = await openDemoSite(patient, portal.url);
    await connectSite(patient, page);
    await allowPermissionRequest(patient, () => clickRequest(page));
    await expect.poll(() => accessText(page), { timeout: 90_000 }).toMatch(/^Access active/);
    const [p] = (await permissionsOf(page)).permissions;
    patientAccount = p!.patient;
    firstExpiry = p!.expiresAt;
    expect((await grantOf(patientAccount)).expiresAt).toBe(firstExpiry);
    await page.close();
  }, 180_000);

  it('no reminder while the grant is far from its end', async () => {
    await patient.stopServiceWorker();
    await patient.askBackground({ type: 'consent.sites' }); // wakes a fresh worker, which checks at start
    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 900 });
    await vault.getByTestId('permission').waitFor({ timeout: 15_000 });
    expect(await vault.getByTestId('permission-ends').count()).toBe(0);
    expect(await remindersShown()).toHaveLength(0);
    await vault.close();
  }, 60_000);

  it('2 days before the end (chain time): one reminder, not a second after a worker restart; the Sharing tab shows the line', async () => {
    const now = Number((await stack.chain.provider.getBlock('latest'))!.timestamp);
    await advanceChainTime(stack, firstExpiry - now - 2 * DAY + 60);
    // A fresh worker checks at start (as after an unlock or the daily alarm).
    await patient.stopServiceWorker();
    await patient.askBackground({ type: 'consent.sites' });
    await expect.poll(remindersShown, { timeout: 30_000 }).toHaveLength(1);
    await patient.stopServiceWorker();
    await patient.askBackground({ type: 'consent.sites' });
    await new Promise((r) => setTimeout(r, 3_000)); // give a (wrong) second reminder the time to appear
    expect(await remindersShown()).toHaveLength(1);

    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 1000 });
    const site = vault.locator(`[data-testid="site"][aria-label="Site ${portal.url}"]`);
    await expect.poll(() => site.getByTestId('permission-ends').textContent(), { timeout: 15_000 }).toMatch(/^Ends in 2 days \(\w{3} \d{1,2} \w{3}\)$/);
    await patient.screenshot(vault, 'consent-expiry-reminder');
    await site.getByRole('button', { name: 'Narrow' }).click();
    await site.getByTestId('narrow').waitFor();
    expect(await site.getByTestId('narrow').getByRole('checkbox').count()).toBe(2);
    await site.getByRole('button', { name: 'Cancel' }).click();

    // Renew for 30 days: a new grant through the queue, confirmed on chain with the later expiry.
    await site.getByRole('button', { name: /^Renew for 30 days/ }).click();
    await expect.poll(async () => (await grantOf(patientAccount)).expiresAt, { timeout: 90_000 }).toBeGreaterThan(firstExpiry + 25 * DAY);
    await expect.poll(() => site.getByTestId('permission-state').textContent(), { timeout: 30_000 }).toMatch(/^Active — on the network/);
    expect(await site.getByTestId('permission-ends').count()).toBe(0);
    await vault.close();

    // The old expiry passes: access continues under the renewed grant, for the same categories only.
    await advanceChainTime(stack, 3 * DAY);
    expect(await hasAccess(patientAccount, Scope.LABS)).toBe(true);
    expect(await hasAccess(patientAccount, Scope.MEDICATIONS)).toBe(true);
    expect(await hasAccess(patientAccount, Scope.MENTAL_HEALTH)).toBe(false);
  }, 240_000);

  it('the page sees the renewed grant (getPermissions) with the expiry the chain holds', async () => {
    const page = await patient.context.newPage();
    await page.goto(portal.url);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Connected to SecureMed.');
    const [p] = (await permissionsOf(page)).permissions;
    expect(p).toMatchObject({ status: 'active' });
    expect(p!.expiresAt).toBe((await grantOf(patientAccount)).expiresAt);
    await page.close();
  }, 60_000);
});
