import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Scope } from '../../shared/chain/scopes';
import { hardhatDevKey } from '../../scripts/relayer/config';
import { startPortal, type Portal } from '../../scripts/portal/server';
import { answerApproval } from './harness/approval';
import { ExtensionSession } from './harness/extension';
import { createVault } from './flows/vault';
import {
  accessText, advanceChainTime, allowPermissionRequest, clickRequest, connectSite, eventsText, openDemoSite, pointExtensionAt, startConsentStack, startHostedPortal,
  stopRelayer, type ConsentStack,
} from './flows/consent';

/**
 * Consent and the chain over time, in Chromium with a real local chain and relayer, driven as a
 * patient would: the relayer goes down while a grant is on its way (pending shown on the page and in
 * the Sharing tab; confirmed on its own once the relayer is back); two providers on one hosted origin
 * get two different pairwise accounts; chain time passes a grant's expiry (no access, shown expired).
 */
describe('consent over time: relayer down and back, two providers on one origin, expiry', () => {
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

  const hasAccess = (patientAccount: string, grantee: string, scope: number) =>
    stack.chain.consent.getFunction('hasAccess')(patientAccount, grantee, scope) as Promise<boolean>;
  const permissionsOf = (page: Page) =>
    page.evaluate(() => (window as any).securemed.request({ method: 'securemed_getPermissions' })) as Promise<{
      permissions: Array<{ grantee: string; patient: string; status: string; expiresAt: number }>;
    }>;
  const sharingSite = async (origin: string) => {
    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 900 });
    return { vault, site: vault.locator(`[data-testid="site"][aria-label="Site ${origin}"]`) };
  };

  it('sets up a vault pointed at the local chain and relayer', async () => {
    const { popup } = await createVault(patient);
    await popup.close();
    await pointExtensionAt(patient, stack);
  });

  it('relayer down: the page and the Sharing tab show the grant pending with the reason; relayer back: confirmed and permissionsChanged, with nobody doing anything', async () => {
    const page = await openDemoSite(patient, portal.url);
    await connectSite(patient, page);

    const relayer = await stopRelayer(stack);
    await allowPermissionRequest(patient, () => clickRequest(page));
    await expect.poll(() => accessText(page), { timeout: 30_000 }).toMatch(/^Access pending: .*could not be reached/);

    const { vault, site } = await sharingSite(portal.url);
    await expect.poll(() => site.getByTestId('permission-state').textContent(), { timeout: 15_000 }).toContain('Being recorded on the network');
    await expect.poll(() => site.textContent(), { timeout: 15_000 }).toContain('could not be reached');
    await patient.screenshot(vault, 'consent-sharing-pending');

    await relayer.back();
    // The queue retries on its own schedule (5 s, then 10 s, …): generous waits, no timing claim.
    await expect.poll(() => eventsText(page), { timeout: 90_000 }).toContain('permissionsChanged: active');
    expect(await accessText(page)).toMatch(/^Access active \(tx 0x[0-9a-f]{64}\)$/);
    await expect.poll(() => site.getByTestId('permission-state').textContent(), { timeout: 15_000 }).toMatch(/^Active — on the network/);
    const [p] = (await permissionsOf(page)).permissions;
    expect(await hasAccess(p!.patient, portal.grantee, Scope.LABS)).toBe(true);
    await vault.close();
    await page.close();
  }, 180_000);

  it('two providers on one hosted origin: two grants from two different pairwise accounts, neither the site’s connect account', async () => {
    const hosted = await startHostedPortal([hardhatDevKey(11), hardhatDevKey(12)]);
    try {
      const page = await patient.context.newPage();
      await page.goto(hosted.url);
      const call = (method: string, params?: unknown) =>
        page.evaluate(([m, p]) => (window as any).call(m, p), [method, params] as const) as Promise<{ result?: any; error?: { code: number; message: string } }>;
      let approval = patient.waitForApprovalWindow();
      const connecting = call('securemed_connect');
      await answerApproval(await approval, 'Allow');
      const { address: siteAccount } = (await connecting).result as { address: string };

      const granted: Array<{ patient: string; grantee: string }> = [];
      for (const grantee of hosted.grantees) {
        approval = patient.waitForApprovalWindow();
        // page.evaluate carries a user gesture, like a click on the page.
        const asking = call('securemed_requestPermissions', { grantee, scopes: ['patient/Observation.rs?category=laboratory'], purpose: 'TREAT', durationDays: 7 });
        const win = await approval;
        // Not attested in the directory: the window says so.
        await expect.poll(() => win.getByTestId('grantee-status').textContent(), { timeout: 15_000 }).toContain('Not a verified provider');
        await answerApproval(win, 'Allow');
        const answer = await asking;
        expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
        granted.push({ patient: answer.result.patient, grantee });
      }
      const [a, b] = granted;
      expect(a!.patient).not.toBe(b!.patient);
      expect([a!.patient, b!.patient]).not.toContain(siteAccount);
      for (const g of granted) await expect.poll(() => hasAccess(g.patient, g.grantee, Scope.LABS), { timeout: 90_000 }).toBe(true);
      // Each account holds only its own provider's grant.
      expect(await hasAccess(a!.patient, b!.grantee, Scope.LABS)).toBe(false);
      expect(await hasAccess(b!.patient, a!.grantee, Scope.LABS)).toBe(false);
      await page.close();
    } finally {
      await hosted.close();
    }
  }, 180_000);

  it('chain time passes the expiry: no access on chain, shown expired to the page and in the Sharing tab', async () => {
    const page = await patient.context.newPage();
    await page.goto(portal.url);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Connected to SecureMed.');
    const [p] = (await permissionsOf(page)).permissions;
    expect(p!.status).toBe('active');
    await advanceChainTime(stack, 31 * 86_400);
    expect(await hasAccess(p!.patient, portal.grantee, Scope.LABS)).toBe(false);
    await expect.poll(async () => (await permissionsOf(page)).permissions[0]!.status, { timeout: 15_000 }).toBe('expired');
    const { vault, site } = await sharingSite(portal.url);
    await expect.poll(() => site.getByTestId('permission-state').textContent(), { timeout: 15_000 }).toMatch(/^Expired/);
    expect(await site.getByTestId('permission-until').textContent()).toMatch(/^ended /);
    await vault.close();
    await page.close();
  }, 120_000);
});
