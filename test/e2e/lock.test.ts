import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionSession } from './harness/extension';
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
});
