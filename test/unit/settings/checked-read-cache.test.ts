import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings/schema';
import { clearUnlocked, setUnlocked } from '../../../extension/keys/unlocked';
import { writeVault } from '../../../extension/keys/vault-store';
import { readSettings, readSettingsChecked, writeSettings } from '../../../extension/settings/store';

/**
 * Issue 12: the checked settings read is kept in worker memory (the chain client asks before every
 * chain read). Every test first reads once so the memo is filled, then changes something the check
 * depends on without going through writeSettings, and expects the very next read to see it.
 */
const SEED = new Uint8Array(64).fill(9);
const custom: Settings = { ...DEFAULT_SETTINGS, rpcUrl: 'https://rpc.hospital.example' };

async function tamper(change: Partial<Settings>) {
  const { settings } = await browser.storage.local.get('settings');
  await browser.storage.local.set({ settings: { ...(settings as Settings), ...change } });
}

describe('checked settings read kept in memory', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await clearUnlocked();
    await writeVault({ v: 1, secret: {} as never, address: '0x' + '1'.repeat(40), createdAt: 1 });
    await setUnlocked(SEED.slice());
    await writeSettings(custom);
    expect(await readSettingsChecked()).toEqual({ settings: custom, integrity: 'ok' });
  });

  it('is used while nothing changed (no storage read)', async () => {
    const get = vi.spyOn(browser.storage.local, 'get');
    expect(await readSettings()).toEqual(custom);
    expect(await readSettings()).toEqual(custom);
    expect(get).not.toHaveBeenCalled();
    get.mockRestore();
  });

  it('a network field changed outside SecureMed is refused by the next read', async () => {
    await tamper({ rpcUrl: 'https://evil.example' });
    const { settings, integrity } = await readSettingsChecked();
    expect(integrity).toBe('tampered');
    expect(settings.rpcUrl).toBe(DEFAULT_SETTINGS.rpcUrl);
  });

  it('a tag removed outside SecureMed is refused by the next read', async () => {
    await browser.storage.local.remove('settingsMac');
    expect((await readSettingsChecked()).integrity).toBe('tampered');
  });

  it('a lock is seen by the next read (unverified), an unlock with another seed refuses the tag', async () => {
    await clearUnlocked();
    expect((await readSettingsChecked()).integrity).toBe('unverified');
    await setUnlocked(new Uint8Array(64).fill(7));
    expect((await readSettingsChecked()).integrity).toBe('tampered');
  });

  it('the vault removed is seen by the next read', async () => {
    await tamper({ rpcUrl: 'https://other.example' });
    await browser.storage.local.remove('vault');
    expect(await readSettingsChecked()).toEqual({ settings: { ...custom, rpcUrl: 'https://other.example' }, integrity: 'ok' });
  });

  it('a caller changing what it got does not change the next answer', async () => {
    const first = await readSettings();
    first.rpcUrl = 'https://mutated.example';
    expect((await readSettings()).rpcUrl).toBe(custom.rpcUrl);
  });

  it('a read overlapping a change outside SecureMed is not kept', async () => {
    const reading = readSettingsChecked();
    await Promise.resolve();
    await tamper({ rpcUrl: 'https://evil.example' });
    await reading;
    expect((await readSettingsChecked()).integrity).toBe('tampered');
  });
});
