import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings/schema';
import { clearUnlocked, setUnlocked } from '../../../extension/keys/unlocked';
import { writeVault } from '../../../extension/keys/vault-store';
import { adoptSettings, readSettingsChecked, writeSettings } from '../../../extension/settings/store';

/** Issue 14: a network setting changed outside SecureMed (another program, a content script) is refused. */
const SEED = new Uint8Array(64).fill(9);
const custom: Settings = { ...DEFAULT_SETTINGS, rpcUrl: 'https://rpc.hospital.example', messagingUrl: 'https://xmtp.hospital.example' };

async function tamper(change: Partial<Settings>) {
  const { settings } = await browser.storage.local.get('settings');
  await browser.storage.local.set({ settings: { ...(settings as Settings), ...change } });
}

describe('settings integrity', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await clearUnlocked();
    await writeVault({ v: 1, secret: {} as never, address: '0x' + '1'.repeat(40), createdAt: 1 });
    await setUnlocked(SEED.slice());
  });

  it('network settings saved while unlocked verify', async () => {
    await writeSettings(custom);
    expect(await readSettingsChecked()).toEqual({ settings: custom, integrity: 'ok' });
  });

  it.each([
    ['rpcUrl', 'https://evil.example'],
    ['messagingUrl', 'https://evil.example'],
    ['relayerUrl', 'https://evil.example'],
    ['chainId', 1],
  ] as const)('a %s written behind its back is refused and the defaults are used', async (field, value) => {
    await writeSettings(custom);
    await tamper({ [field]: value });
    const { settings, integrity } = await readSettingsChecked();
    expect(integrity).toBe('tampered');
    expect(settings[field]).toEqual(DEFAULT_SETTINGS[field]);
    expect(settings.rpcUrl).toBe(DEFAULT_SETTINGS.rpcUrl);
  });

  it('a copied tag from another vault does not verify', async () => {
    await writeSettings(custom);
    const { settingsMac } = await browser.storage.local.get('settingsMac');
    await clearUnlocked();
    await setUnlocked(new Uint8Array(64).fill(1));
    await browser.storage.local.set({ settingsMac });
    expect((await readSettingsChecked()).integrity).toBe('tampered');
  });

  it('auto-lock alone is not covered: lowering it works while locked; network changes need the vault unlocked', async () => {
    await writeSettings(custom);
    await clearUnlocked();
    expect((await readSettingsChecked()).integrity).toBe('unverified');
    await writeSettings({ ...custom, autoLockMinutes: 5 });
    await expect(writeSettings({ ...custom, rpcUrl: 'https://other.example' })).rejects.toThrow(/Unlock your vault/);
    await setUnlocked(SEED.slice());
    expect(await readSettingsChecked()).toEqual({ settings: { ...custom, autoLockMinutes: 5 }, integrity: 'ok' });
  });

  it('settings chosen before the vault existed are adopted when it is created', async () => {
    await browser.storage.local.set({ settings: custom });
    expect((await readSettingsChecked()).integrity).toBe('tampered');
    await adoptSettings();
    expect(await readSettingsChecked()).toEqual({ settings: custom, integrity: 'ok' });
  });
});
