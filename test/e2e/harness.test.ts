import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answerApproval } from './harness/approval';
import { ExtensionSession } from './harness/extension';
import { servePages, type TestServer } from './harness/server';
import { DEMO_PAGE } from './harness/demo-page';
import { createVault, PASSPHRASE } from './flows/vault';

type CallResult = { result?: unknown; error?: { code: number; message: string } };
const call = (page: Page, method: string, params?: unknown) =>
  page.evaluate(([m, p]) => (window as any).call(m, p), [method, params] as const) as Promise<CallResult>;

async function workerStartedAt(session: ExtensionSession): Promise<number> {
  return (await session.askBackground<{ workerStartedAt: number }>({ type: 'ui.status' })).result!.workerStartedAt;
}

describe('extension skeleton in a real Chromium (harness capabilities)', () => {
  let patient: ExtensionSession;
  let site: TestServer;
  let vaultAddress: string;

  beforeAll(async () => {
    [patient, site] = await Promise.all([ExtensionSession.launch(), servePages({ '/': DEMO_PAGE })]);
  });
  afterAll(async () => {
    await patient?.close();
    await site?.close();
  });

  it('renders the popup from what the background reports, and the background answers', async () => {
    const popup = await patient.openPopup();
    await popup.getByRole('button', { name: 'Create a new vault' }).waitFor(); // shown for vault.state 'none'
    await patient.screenshot(popup, 'popup');
    await popup.close();
    const status = await patient.askBackground<{ version: string; connectedSites: number }>({ type: 'ui.status' });
    expect(status).toEqual({ ok: true, result: expect.objectContaining({ version: '0.1.0', connectedSites: 0 }) });
    expect(await patient.askBackground({ type: 'ui.no-such-thing' })).toMatchObject({ ok: false, code: 'invalid', error: 'Malformed request' });
  });

  it('defines window.securemed before the page’s first script and announces it', async () => {
    const page = await patient.context.newPage();
    await page.goto(site.url);
    expect(await page.evaluate(() => (window as any).__seenAtFirstScript)).toBe('object');
    expect(await page.evaluate(() => (window as any).__announced)).toEqual(['SecureMed']);
    expect(await page.evaluate(() => Object.isFrozen((window as any).securemed))).toBe(true);
    await page.close();
  });

  it('before a vault exists, connect looks the same as with one: a window (offering to set SecureMed up), and a decline is 4001', async () => {
    // Another origin than `site`: the decline starts that origin's cooldown.
    const other = await servePages({ '/': DEMO_PAGE });
    const page = await patient.context.newPage();
    await page.goto(other.url);
    const approval = patient.waitForApprovalWindow();
    const answer = call(page, 'securemed_connect');
    const win = await approval;
    await expect.poll(() => win.getByTestId('no-vault').textContent()).toContain('not set up in this browser');
    expect(await win.getByRole('button', { name: 'Set up SecureMed' }).isVisible()).toBe(true);
    await answerApproval(win, "Don't allow");
    expect((await answer).error).toEqual({ code: 4001, message: 'The patient declined the connection' });
    // A site that is not connected learns nothing else either (not even that there is no vault).
    expect((await call(page, 'securemed_getPermissions')).error?.code).toBe(4100);
    await page.close();
    await other.close();
    vaultAddress = (await createVault(patient)).address;
  });

  it('answers malformed and unknown requests with EIP-1193 errors', async () => {
    const page = await patient.context.newPage();
    await page.goto(site.url);
    expect((await call(page, 'securemed_teleport')).error?.code).toBe(4200);
    expect((await call(page, 'x'.repeat(500))).error?.code).toBe(-32602);
    expect((await call(page, 'securemed_status', { blob: 'x'.repeat(70_000) })).error?.code).toBe(-32602);
    expect((await call(page, 'securemed_status')).result).toEqual({ connected: false });
    await page.close();
  });

  it('opens an approval window that leads with the origin; Allow resolves the page’s promise', async () => {
    const page = await patient.context.newPage();
    await page.goto(site.url);
    const approval = patient.waitForApprovalWindow();
    const answer = call(page, 'securemed_connect');
    const win = await approval;
    await expect.poll(() => win.getByTestId('origin').textContent()).toBe(site.url);
    await patient.screenshot(win, 'approve-connect');
    // While it waits, a second request from the same site is refused, not queued behind the first.
    expect((await call(page, 'securemed_connect')).error?.code).toBe(-32002);
    await answerApproval(win, 'Allow');
    const connected = (await answer).result as { connected: boolean; origin: string; address: string };
    expect(connected).toEqual({ connected: true, origin: site.url, address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) });
    // A pairwise account: not the vault's own address, and stable for this site.
    expect(connected.address).not.toBe(vaultAddress);
    expect((await call(page, 'securemed_connect')).result).toEqual(connected);
    expect((await patient.askBackground<{ connectedSites: number }>({ type: 'ui.status' })).result?.connectedSites).toBe(1);
    await page.close();
  });

  it('treats a closed approval window as a rejection (4001)', async () => {
    const other = await servePages({ '/': DEMO_PAGE });
    const page = await patient.context.newPage();
    await page.goto(other.url);
    const approval = patient.waitForApprovalWindow();
    const answer = call(page, 'securemed_connect');
    await (await approval).close();
    expect((await answer).error?.code).toBe(4001);
    await page.close();
    await other.close();
  });

  it('keeps a pending approval when the service worker is stopped mid-flow', async () => {
    const other = await servePages({ '/': DEMO_PAGE });
    const page = await patient.context.newPage();
    await page.goto(other.url);
    const approval = patient.waitForApprovalWindow();
    const answer = call(page, 'securemed_connect');
    const win = await approval;
    await expect.poll(() => win.getByTestId('origin').textContent()).toBe(other.url);

    const startedBefore = await workerStartedAt(patient);
    await patient.stopServiceWorker();

    let extraWindows = 0;
    patient.context.on('page', (p) => p.url().includes('/approve.html') && extraWindows++);
    // Keyboard only: Tab from "Don't allow" (focused) to "Allow", then Enter.
    await win.bringToFront();
    await win.keyboard.press('Tab');
    await answerApproval(win, { key: 'Enter' });
    expect((await answer).result).toMatchObject({ connected: true, origin: other.url });
    expect(extraWindows).toBe(0);
    expect(await workerStartedAt(patient)).toBeGreaterThan(startedBefore); // it really was a new worker
    await page.close();
    await other.close();
  });

  it('asks the patient to unlock first when the vault is locked; each site gets its own account', async () => {
    const other = await servePages({ '/': DEMO_PAGE });
    const page = await patient.context.newPage();
    await page.goto(other.url);
    expect((await patient.askBackground({ type: 'vault.lock' })).ok).toBe(true);
    const approval = patient.waitForApprovalWindow();
    const answer = call(page, 'securemed_connect');
    const win = await approval;
    await win.getByLabel('Passphrase').fill(PASSPHRASE);
    await win.getByLabel('Passphrase').press('Enter');
    await answerApproval(win, 'Allow');
    const first = (await answer).result as { address: string };
    // Connected sites are vault data (encrypted); the consent manager lists them with their accounts.
    const { sites } = (await patient.askBackground<{ sites: Array<{ origin: string; address: string }> }>({ type: 'consent.sites' })).result!;
    expect(sites.find((s) => s.origin === other.url)?.address).toBe(first.address);
    expect(new Set(sites.map((s) => s.address)).size).toBe(sites.length); // distinct per site
    await page.close();
    await other.close();
  });

  it('stops the service worker through the DevTools protocol; the next message starts a fresh one', async () => {
    const before = await workerStartedAt(patient);
    await patient.stopServiceWorker();
    expect(await patient.workerRunning()).toBe(false);
    expect(await workerStartedAt(patient)).toBeGreaterThan(before);
    expect(await patient.workerRunning()).toBe(true);
  });

  it('reads extension storage and IndexedDB from outside', async () => {
    const session = await patient.readStorage('session');
    expect(session.consentOrigins as string[]).toContain(site.url);
    const page = await patient.openPage('popup.html');
    await page.evaluate(
      () => new Promise<void>((resolve) => {
        const req = indexedDB.open('harness-probe', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('things', { autoIncrement: true });
        req.onsuccess = () => {
          const tx = req.result.transaction('things', 'readwrite');
          tx.objectStore('things').add({ hello: 'indexeddb' });
          tx.oncomplete = () => { req.result.close(); resolve(); };
        };
      }),
    );
    await page.close();
    const dump = await patient.dumpIndexedDb();
    expect(dump['harness-probe'].things).toEqual([JSON.stringify({ hello: 'indexeddb' })]);
  });

  it('runs a second, independent profile at the same time (patient and doctor)', async () => {
    const doctor = await ExtensionSession.launch();
    try {
      expect((await doctor.askBackground<{ connectedSites: number }>({ type: 'ui.status' })).result?.connectedSites).toBe(0);
      expect((await doctor.readStorage('session')).consentOrigins).toBeUndefined();
      expect(JSON.stringify((await patient.readStorage('session')).consentOrigins)).toContain(site.url);
    } finally {
      await doctor.close();
    }
  });
});
