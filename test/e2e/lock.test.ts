import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionSession } from './harness/extension';
import { servePages } from './harness/server';
import { createVault, lockState } from './flows/vault';
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
});
