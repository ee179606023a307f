import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Scope } from '../../shared/chain/scopes';
import { startPortal, type Portal } from '../../scripts/portal/server';
import type { Relayer } from '../../scripts/relayer/server';
import { startTestRelayer } from '../integration/helpers/relayer-stack';
import { ExtensionSession } from './harness/extension';
import { createVault } from './flows/vault';
import { accessText, allowPermissionRequest, clickRequest, connectSite, eventsText, openDemoSite, pointExtensionAt, startConsentStack, type ConsentStack } from './flows/consent';

/**
 * A grant the network refused, tried again by the patient from the Sharing tab, in Chromium with the
 * real local chain and relayer. The refusal is real: the extension first talks to a relayer for another
 * chain (it refuses our signed grant, as key-publish.test.ts does for the key), so the queue marks the
 * grant failed for good. Then Settings points at the right relayer and the patient presses "Try again"
 * with the keyboard: the same action, re-signed, lands; the page hears permissionsChanged: active.
 * Then the same for a revoke: refused, it stays stopped here (the page sees it revoked) while the chain
 * still holds the grant, until Try again removes it there.
 */
describe('consent: a refused grant and a refused revoke, tried again from the Sharing tab', () => {
  let patient: ExtensionSession;
  let stack: ConsentStack;
  let portal: Portal;
  /** A relayer for another chain: it refuses our grant (wrong chain), which the queue does not retry on its own. */
  let otherChainRelayer: Relayer;
  let page: Page;

  beforeAll(async () => {
    [patient, stack, portal] = await Promise.all([ExtensionSession.launch(), startConsentStack(), startPortal(0)]);
    otherChainRelayer = await startTestRelayer(stack.chain, { deployment: { ...stack.chain.deployment, chainId: 99 } });
  }, 180_000);
  afterAll(async () => {
    await patient?.close();
    await portal?.close();
    await otherChainRelayer?.close();
    await stack?.close();
  });

  const hasAccess = (patientAccount: string, scope: number) => stack.chain.consent.getFunction('hasAccess')(patientAccount, portal.grantee, scope) as Promise<boolean>;

  it('a vault pointed at the local chain, through a relayer that refuses', async () => {
    const { popup } = await createVault(patient);
    await popup.close();
    await pointExtensionAt(patient, { ...stack, relayer: otherChainRelayer });
  });

  it('refused: the page hears failed with the reason; the Sharing tab says so in words with "Try again"; back on the right relayer, Try again → active on chain and permissionsChanged', async () => {
    page = await openDemoSite(patient, portal.url);
    await connectSite(patient, page);
    await allowPermissionRequest(patient, () => clickRequest(page));
    await expect.poll(() => accessText(page), { timeout: 60_000 }).toMatch(/^Access failed: Not recorded on the network: .*chain 99/);
    expect(await eventsText(page)).toContain('permissionsChanged: failed');

    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 900 });
    const site = vault.locator(`[data-testid="site"][aria-label="Site ${portal.url}"]`);
    await expect.poll(() => site.getByTestId('permission-state').textContent(), { timeout: 15_000 }).toMatch(/^Not recorded — the network refused it/);
    expect(await site.getByTestId('permission-refused-words').textContent()).toMatch(/^The provider cannot use this permission yet\. Not recorded on the network: .*chain 99/);
    const tryAgain = site.getByRole('button', { name: /^Try again: record on the network/ });
    await tryAgain.waitFor();
    await patient.screenshot(vault, 'consent-sharing-refused');

    // The relayer for this chain (a Settings change; the chain stays the same, so nothing fails for that).
    await pointExtensionAt(patient, stack);
    const before = (await eventsText(page)) ?? '';
    // Keyboard: focus the button and press Enter, as a patient without a mouse would.
    await tryAgain.focus();
    await vault.keyboard.press('Enter');
    await expect.poll(() => site.getByTestId('permission-state').textContent(), { timeout: 90_000 }).toMatch(/^Active — on the network/);
    expect(await site.getByRole('button', { name: /^Try again/ }).count()).toBe(0);
    expect(await site.getByRole('alert').count()).toBe(0);

    // The page heard it (pending on the way, then active), and the chain holds the grant.
    await expect.poll(async () => ((await eventsText(page)) ?? '').slice(before.length), { timeout: 30_000 }).toContain('permissionsChanged: active');
    expect(await accessText(page)).toMatch(/^Access active \(tx 0x[0-9a-f]{64}\)$/);
    const { permissions } = (await page.evaluate(() => (window as any).securemed.request({ method: 'securemed_getPermissions' }))) as { permissions: Array<{ patient: string; status: string }> };
    expect(permissions.map((p) => p.status)).toEqual(['active']);
    expect(await hasAccess(permissions[0]!.patient, Scope.LABS)).toBe(true);

    // One grant action in the queue: the refused one, tried again (same id), now confirmed.
    const queue = await patient.askBackground<{ actions: Array<{ kind: string; state: string }> }>({ type: 'chain.queue' });
    expect(queue.result!.actions.filter((a) => a.kind === 'grant').map((a) => a.state)).toEqual(['confirmed']);
    await vault.close();
  }, 240_000);

  it('a refused revoke stays stopped here ("not yet removed from the network"); Try again removes it on chain', async () => {
    await pointExtensionAt(patient, { ...stack, relayer: otherChainRelayer });
    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 900 });
    const site = vault.locator(`[data-testid="site"][aria-label="Site ${portal.url}"]`);
    await site.getByRole('button', { name: /^Stop sharing with/ }).click();
    await expect.poll(() => site.getByTestId('permission-state').textContent(), { timeout: 60_000 }).toBe('Stopped here — not yet removed from the network');
    expect(await site.getByTestId('permission-refused-words').textContent()).toMatch(/^You stopped this permission, and that already counts in SecureMed\. Not removed from the network yet: .*chain 99/);
    // Locally it is over: the page sees it revoked, though the chain still holds the grant.
    const pagePermissions = async () => ((await page.evaluate(() => (window as any).securemed.request({ method: 'securemed_getPermissions' }))) as { permissions: Array<{ patient: string; status: string }> }).permissions;
    const [p] = await pagePermissions();
    expect(p!.status).toBe('revoked');
    expect(await hasAccess(p!.patient, Scope.LABS)).toBe(true);
    expect(await site.getByRole('button', { name: /^Stop sharing/ }).count()).toBe(0);
    await patient.screenshot(vault, 'consent-sharing-revoke-refused');

    await pointExtensionAt(patient, stack);
    await site.getByRole('button', { name: /^Try again: remove from the network/ }).click();
    // Removed on the network: the tab no longer lists it, the chain agrees, the page heard it.
    await expect.poll(() => site.getByTestId('permission').count(), { timeout: 90_000 }).toBe(0);
    expect(await hasAccess(p!.patient, Scope.LABS)).toBe(false);
    expect(await pagePermissions()).toEqual([]);
    await expect.poll(() => eventsText(page), { timeout: 30_000 }).toMatch(/permissionsChanged: none$/);
    await vault.close();
  }, 240_000);
});
