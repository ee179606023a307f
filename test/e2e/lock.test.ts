import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionSession } from './harness/extension';
import { servePages } from './harness/server';
import { createVault, lockState, PASSPHRASE } from './flows/vault';
import { generateBundle } from '../../shared/fhir/synthetic';
import { importThroughUi, openVaultTab, writeTempFile } from './flows/records';

/**
 * Issue 14: a lock that really locks, in the real extension in Chromium.
 */
describe('lock hardening (patient, in Chromium)', () => {
  let patient: ExtensionSession;

  beforeAll(async () => {
    patient = await ExtensionSession.launch();
  });
  afterAll(async () => {
    await patient?.close();
  });

  it('sets up a vault with records', async () => {
    const { popup } = await createVault(patient);
    await popup.close();
    const vault = await openVaultTab(patient);
    const { bundle } = generateBundle(12, { seed: 3 });
    await importThroughUi(vault, [writeTempFile('lock-bundle.json', JSON.stringify(bundle))]);
    await vault.close();
  });

  it('the auto-lock alarm that wakes a stopped worker locks it for good (start-up cannot resurrect the seed)', async () => {
    const before = await patient.askBackground<{ entries: unknown[] }>({ type: 'records.list', offset: 0, limit: 5 });
    expect(before.ok).toBe(true);
    // Arm the real auto-lock alarm a few seconds ahead, then stop the worker: the alarm wakes a fresh
    // worker whose start-up (records, messaging) reads the unlocked state while the alarm's lock runs.
    const worker = await patient.serviceWorker();
    await worker.evaluate(() => (globalThis as any).chrome.alarms.create('securemed-auto-lock', { when: Date.now() + 2_500 }));
    await patient.stopServiceWorker();
    expect(await patient.workerRunning()).toBe(false);
    await new Promise((r) => setTimeout(r, 4_500));
    expect(await patient.readStorage('session')).not.toHaveProperty('unlockedSeed');
    // The vault page, opened now, shows the lock screen and the background refuses to list records.
    const vault = await patient.openPage('vault.html');
    await vault.getByLabel('Passphrase').waitFor({ timeout: 15_000 });
    const after = await patient.askBackground({ type: 'records.list', offset: 0, limit: 5 });
    expect(after.ok).toBe(false);
    expect(await lockState(patient)).toBe('Locked');
    // And nothing re-armed auto-lock from a stale in-memory seed.
    const alarm = await (await patient.serviceWorker()).evaluate(() => (globalThis as any).chrome.alarms.get('securemed-auto-lock'));
    expect(alarm ?? null).toBeNull();
    await vault.close();
  });

  it('web pages cannot read or write SecureMed storage, not even through its content script', async () => {
    const site = await servePages({ '/': '<!doctype html><title>Some site</title><p>hello</p>' });
    const page = await patient.context.newPage();
    try {
      const cdp = await patient.context.newCDPSession(page);
      const contexts: Array<{ id: number; name: string; auxData?: { type?: string } }> = [];
      cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
      await cdp.send('Runtime.enable');
      await page.goto(site.url);
      // The isolated world our bridge content script runs in: the renderer a web page shares.
      await expect.poll(() => contexts.some((c) => c.auxData?.type === 'isolated' && c.name === 'SecureMed'), { timeout: 10_000 }).toBe(true);
      const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.name === 'SecureMed')!;
      const attempt = async (expression: string) =>
        (await cdp.send('Runtime.evaluate', { expression, contextId: isolated.id, awaitPromise: true, returnByValue: true })).result.value as string;
      const read = await attempt(`chrome.storage.local.get(null).then((v) => 'read ' + JSON.stringify(v), (e) => 'refused ' + e.message)`);
      const write = await attempt(`chrome.storage.local.set({ settings: { rpcUrl: 'https://evil.example' } }).then(() => 'written', (e) => 'refused ' + e.message)`);
      expect(read).toMatch(/^refused/);
      expect(write).toMatch(/^refused/);
      const settings = (await patient.readStorage('local')).settings as { rpcUrl?: string } | undefined;
      expect(settings?.rpcUrl).not.toBe('https://evil.example');
    } finally {
      await page.close();
      await site.close();
    }
  });

  async function unlockInPopup() {
    const popup = await patient.openPopup();
    await popup.getByLabel('Passphrase').fill(PASSPHRASE);
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 30_000 }).toContain('Unlocked');
    return popup;
  }
  const autoLockAt = async () =>
    ((await (await patient.serviceWorker()).evaluate(() => (globalThis as any).chrome.alarms.get('securemed-auto-lock'))) as { scheduledTime: number } | undefined)
      ?.scheduledTime;

  it('open pages drop what they show the moment the vault locks', async () => {
    (await unlockInPopup()).close();
    const vault = await openVaultTab(patient);
    const row = vault.locator('.record-row').first();
    await row.click();
    await vault.getByTestId('record-detail').getByRole('heading', { level: 2 }).waitFor();
    const shown = (await vault.getByTestId('record-detail').textContent())!;
    expect(shown.length).toBeGreaterThan(10);
    const messages = await patient.openPage('messages.html');
    await messages.getByRole('button', { name: 'New conversation' }).waitFor();

    const popup = await patient.openPopup();
    await popup.getByRole('button', { name: 'Lock now' }).click();
    // No focus change, no reload: the pages follow the lock by themselves.
    await vault.getByLabel('Passphrase').waitFor({ timeout: 10_000 });
    expect(await vault.locator('.record-row').count()).toBe(0);
    expect(await vault.getByTestId('record-detail').count()).toBe(0);
    expect(await vault.locator('body').textContent()).not.toContain(shown.slice(0, 40));
    await expect.poll(() => messages.getByText('Your vault is locked').count(), { timeout: 10_000 }).toBe(1);
    await patient.screenshot(vault, 'vault-locked-elsewhere');
    await Promise.all([vault.close(), messages.close(), popup.close()]);
  });

  it('only real input in a visible extension page postpones auto-lock, not requests a page makes by itself', async () => {
    (await unlockInPopup()).close();
    const vault = await openVaultTab(patient);
    const before = await autoLockAt();
    expect(before).toBeGreaterThan(Date.now());
    await new Promise((r) => setTimeout(r, 1_100));
    // What the Messages page does when a message arrives, and a page polling: no activity.
    await vault.evaluate(async () => {
      const send = (globalThis as any).chrome.runtime.sendMessage;
      await send({ type: 'messaging.read', threadId: '0'.repeat(40) });
      await send({ type: 'records.list', offset: 0, limit: 5 });
    });
    expect(await autoLockAt()).toBe(before);
    // A real click in the visible, focused page is.
    await vault.bringToFront();
    await vault.getByLabel('Search your records').click();
    await expect.poll(() => autoLockAt(), { timeout: 10_000 }).toBeGreaterThan(before!);
    await vault.close();
  });

  it('a locked vault can be erased only with the passphrase, and its auto-lock cannot be lengthened', async () => {
    const popup = await patient.openPopup();
    await popup.getByRole('button', { name: 'Lock now' }).click();
    await popup.close();
    const longer = await patient.askBackground({ type: 'settings.save', settings: { ...(await currentSettings()), autoLockMinutes: 600 }, confirmNetworkChange: false });
    expect(longer).toMatchObject({ ok: false, code: 'locked' });
    expect(await patient.askBackground({ type: 'vault.wipe', confirm: 'ERASE' })).toMatchObject({ ok: false, code: 'locked' });

    const settings = await patient.openPage('options.html');
    await settings.getByLabel('Type ERASE to confirm').fill('ERASE');
    const erase = settings.getByRole('button', { name: 'Erase vault' });
    expect(await erase.isDisabled()).toBe(true);
    await settings.getByLabel('Your passphrase (your vault is locked)').fill('not my passphrase');
    await erase.click();
    await expect.poll(() => settings.getByRole('alert').last().textContent(), { timeout: 30_000 }).toContain('not right');
    expect((await patient.readStorage('local')).vault).toBeDefined();
    await patient.screenshot(settings, 'settings-erase-locked');
    await settings.close();
  });

  it('network settings changed behind SecureMed\'s back are refused and flagged', async () => {
    (await unlockInPopup()).close();
    // Another program (not a web page: those are refused above) rewrites the RPC URL in storage.
    const current = await currentSettings();
    const page = await patient.openPage('popup.html');
    await page.evaluate(async (settings) => {
      await (globalThis as any).chrome.storage.local.set({ settings: { ...settings, rpcUrl: 'https://evil.example' } });
    }, current);
    await page.close();
    const settingsPage = await patient.openPage('options.html');
    await settingsPage.getByTestId('settings-tampered').waitFor({ timeout: 10_000 });
    expect(await settingsPage.getByLabel('Chain RPC URL').inputValue()).not.toBe('https://evil.example');
    await patient.screenshot(settingsPage, 'settings-tampered');
    await settingsPage.close();
  });

  it('saving the settings page keeps what it does not show (a custom storage-node list)', async () => {
    const nodes = [{ url: 'https://nodes.hospital.example' }];
    const saved = await patient.askBackground({ type: 'settings.save', settings: { ...(await currentSettings()), storageNodes: nodes }, confirmNetworkChange: true });
    expect(saved.ok).toBe(true);
    const page = await patient.openPage('options.html');
    await page.getByLabel('Lock automatically after (minutes idle)').fill('14');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Settings saved');
    expect(await currentSettings()).toMatchObject({ autoLockMinutes: 14, storageNodes: nodes });
    await page.close();
  });

  async function currentSettings(): Promise<Record<string, unknown>> {
    const reply = await patient.askBackground<{ settings: Record<string, unknown> }>({ type: 'settings.get' });
    return reply.result!.settings;
  }
});
