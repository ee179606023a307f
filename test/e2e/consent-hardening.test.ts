import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hardhatDevKey } from '../../scripts/relayer/config';
import { startPortal, type Portal, type PortalOptions } from '../../scripts/portal/server';
import { answerApproval } from './harness/approval';
import { ExtensionSession } from './harness/extension';
import { createVault } from './flows/vault';
import { accessText, clickRequest } from './flows/consent';

/**
 * Approval hardening in Chromium: declines and closed windows are 4001, a cooldown follows a decline,
 * 20 calls in one tick open one window (the rest -32002, every promise settles), no user gesture is
 * refused by the bridge, a binding file for another origin or signed by another key is refused (4100),
 * and closing the requesting tab cancels its window. No chain is needed: all of this happens before
 * anything is signed.
 */
describe('consent hardening', () => {
  let patient: ExtensionSession;
  const portals: Portal[] = [];

  const portal = async (opts: PortalOptions = {}) => {
    const p = await startPortal(0, opts);
    portals.push(p);
    return p;
  };
  const open = async (p: Portal): Promise<Page> => {
    const page = await patient.context.newPage();
    await page.goto(p.url);
    await expect.poll(() => page.getByRole('button', { name: 'Share lab results and medicines' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    return page;
  };
  const approvalWindows = () => patient.context.pages().filter((p) => p.url().includes('/approve.html'));

  beforeAll(async () => {
    patient = await ExtensionSession.launch();
  });
  afterAll(async () => {
    await patient?.close();
    await Promise.all(portals.map((p) => p.close()));
  });

  it('sets up a vault', async () => {
    const { popup } = await createVault(patient);
    await popup.close();
  });

  it('a decline is 4001, and the site cannot ask again at once (cooldown, no new window)', async () => {
    const page = await open(await portal());
    const approval = patient.waitForApprovalWindow();
    await clickRequest(page);
    const win = await approval;
    // Unknown directory status (no chain here): a clear warning, not a green badge.
    await expect.poll(() => win.getByTestId('grantee-status').textContent(), { timeout: 15_000 }).toMatch(/Could not check this provider|Not a verified provider/);
    expect(await win.getByRole('alert').count()).toBe(1); // announced to screen readers
    await patient.screenshot(win, 'consent-approve-unchecked-provider');
    await answerApproval(win, "Don't allow");
    await expect.poll(() => accessText(page)).toMatch(/^Refused \(4001\): The patient declined/);
    await clickRequest(page);
    await expect.poll(() => accessText(page)).toMatch(/^Refused \(4001\): .*a moment ago/);
    expect(approvalWindows()).toHaveLength(0);
    await page.close();
  });

  it('closing the approval window is 4001', async () => {
    const page = await open(await portal());
    const approval = patient.waitForApprovalWindow();
    await clickRequest(page);
    const win = await approval;
    await win.getByTestId('origin').waitFor();
    await win.close();
    await expect.poll(() => accessText(page)).toMatch(/^Refused \(4001\)/);
    await page.close();
  });

  it('20 calls in one tick: one window, the other 19 get -32002 at once, and all 20 settle', async () => {
    const page = await open(await portal());
    await page.evaluate(async () => {
      const { grantee } = await (await fetch('/.well-known/securemed.json')).json();
      const button = document.createElement('button');
      button.textContent = 'Ask twenty times';
      (window as any).__results = [];
      button.onclick = () => {
        for (let i = 0; i < 20; i++) {
          (window as any).securemed
            .request({ method: 'securemed_requestPermissions', params: { grantee, scopes: ['patient/Observation.rs'], purpose: 'TREAT', durationDays: 7 } })
            .then(() => (window as any).__results.push('ok'), (e: { code: number }) => (window as any).__results.push(e.code));
        }
      };
      document.body.append(button);
    });
    const approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Ask twenty times' }).click();
    const win = await approval;
    const results = () => page.evaluate(() => (window as any).__results as Array<number | string>);
    await expect.poll(async () => (await results()).length, { timeout: 15_000 }).toBe(19);
    expect((await results()).every((r) => r === -32002)).toBe(true);
    await new Promise((r) => setTimeout(r, 500)); // a late second window would show up by now
    expect(approvalWindows()).toHaveLength(1);
    await win.close();
    await expect.poll(async () => (await results()).length).toBe(20);
    expect((await results()).filter((r) => r === 4001)).toHaveLength(1);
    await page.close();
  });

  it('a request without a user gesture is refused by the bridge (4100), with no window', async () => {
    const target = await portal();
    const page = await patient.context.newPage();
    // The page asks on its own at load: no click, no key. Nothing in this test evaluates in the page while
    // it waits (Playwright evaluates with a user gesture), so the answer comes back as a console line.
    await page.addInitScript((grantee: string) => {
      addEventListener('load', () => {
        (window as any).securemed
          .request({ method: 'securemed_requestPermissions', params: { grantee, scopes: ['patient/Observation.rs'], purpose: 'TREAT', durationDays: 7 } })
          .then(() => 'ok', (e: { code: number; message: string }) => ({ code: e.code, message: e.message }))
          .then((answer: unknown) => console.log(`securemed-answer ${JSON.stringify(answer)}`));
      });
    }, target.grantee);
    const line = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('securemed-answer '), timeout: 15_000 });
    await page.goto(target.url, { waitUntil: 'commit' });
    const answer = JSON.parse((await line).text().slice('securemed-answer '.length));
    expect(answer).toEqual({ code: 4100, message: expect.stringContaining('click') });
    expect(approvalWindows()).toHaveLength(0);
    await page.close();
  });

  it('a binding file that lists another origin is refused (4100, with the reason)', async () => {
    const page = await open(await portal({ bindingOrigins: () => ['https://portal.elsewhere.example'] }));
    await clickRequest(page);
    await expect.poll(() => accessText(page), { timeout: 15_000 }).toMatch(/^Refused \(4100\): .*does not list this origin/);
    expect(approvalWindows()).toHaveLength(0);
    await page.close();
  });

  it('a binding file signed by another key is refused (4100, with the reason)', async () => {
    const page = await open(await portal({ bindingSignerKey: hardhatDevKey(8) }));
    await clickRequest(page);
    await expect.poll(() => accessText(page), { timeout: 15_000 }).toMatch(/^Refused \(4100\): .*not signed by its grantee/);
    expect(approvalWindows()).toHaveLength(0);
    await page.close();
  });

  it('"Block this site": refused at once (4001) with no window, listed in Sharing, and Unblock lets it ask again', async () => {
    const target = await portal();
    const page = await open(target);
    let approval = patient.waitForApprovalWindow();
    await clickRequest(page);
    let win = await approval;
    await win.getByTestId('origin').waitFor();
    await patient.screenshot(win, 'consent-approve-block');
    await win.getByRole('button', { name: 'Block this site' }).click().catch((e: Error) => {
      if (!/closed/.test(e.message)) throw e;
    });
    await expect.poll(() => accessText(page)).toMatch(/^Refused \(4001\)/);

    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 800 });
    const blocked = vault.getByTestId('blocked');
    await expect.poll(() => blocked.textContent(), { timeout: 15_000 }).toContain(target.url);
    // Past the decline cooldown (30 s), the site is still refused at once: that is the block, not the cooldown.
    await new Promise((r) => setTimeout(r, 31_000));
    const page2 = await open(target);
    await clickRequest(page2);
    await expect.poll(() => accessText(page2)).toMatch(/^Refused \(4001\): The patient declined the request$/);
    expect(approvalWindows()).toHaveLength(0);
    await patient.screenshot(vault, 'consent-sharing-blocked');

    await vault.getByRole('button', { name: `Unblock ${target.url}` }).click();
    await expect.poll(() => vault.getByTestId('blocked').count()).toBe(0);
    await vault.close();
    // Unblocked: the site may ask again, in a window.
    approval = patient.waitForApprovalWindow();
    await clickRequest(page2);
    win = await approval;
    await win.close();
    await page.close();
    await page2.close();
  }, 120_000);

  it('disconnect and "stop all sharing" ask first in an accessible dialog: focus stays in it, Escape cancels', async () => {
    const target = await portal();
    const page = await open(target);
    const approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await approval, 'Allow');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Connected to SecureMed');

    const vault = await patient.openPage('vault.html#sharing', { width: 1000, height: 800 });
    const site = vault.locator(`[data-testid="site"][aria-label="Site ${target.url}"]`);
    await site.waitFor({ timeout: 15_000 });
    await site.getByRole('button', { name: 'Disconnect this site' }).click();
    const dialog = vault.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('heading').textContent()).toMatch(/^Disconnect /);
    const focusedInDialog = () => vault.evaluate(() => !!document.activeElement?.closest('dialog'));
    expect(await vault.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    for (let i = 0; i < 4; i++) {
      await vault.keyboard.press('Tab');
      expect(await focusedInDialog()).toBe(true);
    }
    await patient.screenshot(vault, 'consent-confirm-disconnect');
    await vault.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await site.count()).toBe(1); // nothing happened

    await vault.getByRole('button', { name: 'Stop all sharing' }).click();
    await expect.poll(() => vault.getByRole('dialog').isVisible()).toBe(true);
    await vault.keyboard.press('Escape');
    await expect.poll(() => vault.getByRole('dialog').count()).toBe(0);

    await site.getByRole('button', { name: 'Disconnect this site' }).click();
    await vault.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => site.count(), { timeout: 15_000 }).toBe(0);
    await vault.close();
    await page.close();
  });

  it('closing the requesting tab cancels its approval window', async () => {
    const page = await open(await portal());
    const approval = patient.waitForApprovalWindow();
    await clickRequest(page);
    const win = await approval;
    await win.getByTestId('origin').waitFor();
    await page.close();
    await expect.poll(() => win.isClosed(), { timeout: 15_000 }).toBe(true);
  });
});
