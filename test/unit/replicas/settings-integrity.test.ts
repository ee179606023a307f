import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings/schema';
import { clearUnlocked, setUnlocked } from '../../../extension/keys/unlocked';
import { writeVault } from '../../../extension/keys/vault-store';
import { readSettingsChecked, writeSettings } from '../../../extension/settings/store';

/**
 * Issue 17: the storage-node list decides where the vault's replicas go, so it is covered by the settings
 * tag like the other network fields: a process that can write storage.local must not point the replicas
 * at its own nodes unnoticed.
 */
const SEED = new Uint8Array(64).fill(7);
const hospitalNodes = [{ url: 'https://ipfs-a.hospital.example' }, { url: 'https://ipfs-b.hospital.example', credential: 'token-b' }];
const attackerNodes = [{ url: 'https://ipfs.attacker.example' }];

async function tamper(change: Partial<Settings>) {
  const { settings } = await browser.storage.local.get('settings');
  await browser.storage.local.set({ settings: { ...((settings as Settings | undefined) ?? DEFAULT_SETTINGS), ...change } });
}

describe('settings integrity covers the storage nodes', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await clearUnlocked();
    await writeVault({ v: 1, secret: {} as never, address: '0x' + '1'.repeat(40), createdAt: 1 });
    await setUnlocked(SEED.slice());
  });

  it('a node list saved while unlocked verifies', async () => {
    await writeSettings({ ...DEFAULT_SETTINGS, storageNodes: hospitalNodes });
    expect(await readSettingsChecked()).toEqual({ settings: { ...DEFAULT_SETTINGS, storageNodes: hospitalNodes }, integrity: 'ok' });
  });

  it('default settings whose node list is replaced behind SecureMed’s back are refused (default nodes used)', async () => {
    await writeSettings({ ...DEFAULT_SETTINGS });
    await tamper({ storageNodes: attackerNodes });
    const { settings, integrity } = await readSettingsChecked();
    expect(integrity).toBe('tampered');
    expect(settings.storageNodes).toEqual(DEFAULT_SETTINGS.storageNodes);
  });

  it('custom network settings whose node list is replaced are refused', async () => {
    const custom: Settings = { ...DEFAULT_SETTINGS, rpcUrl: 'https://rpc.hospital.example', storageNodes: hospitalNodes };
    await writeSettings(custom);
    await tamper({ storageNodes: [...hospitalNodes, ...attackerNodes] });
    const { settings, integrity } = await readSettingsChecked();
    expect(integrity).toBe('tampered');
    expect(settings.storageNodes).toEqual(DEFAULT_SETTINGS.storageNodes);
  });

  it('a custom list reset to the defaults (or a changed credential) behind its back is refused too', async () => {
    // (All settings back at their defaults is no attack: the defaults are trusted. Here the RPC stays custom.)
    await writeSettings({ ...DEFAULT_SETTINGS, rpcUrl: 'https://rpc.hospital.example', storageNodes: hospitalNodes });
    await tamper({ storageNodes: DEFAULT_SETTINGS.storageNodes });
    expect((await readSettingsChecked()).integrity).toBe('tampered');
    await writeSettings({ ...DEFAULT_SETTINGS, storageNodes: hospitalNodes });
    await tamper({ storageNodes: [hospitalNodes[0]!, { ...hospitalNodes[1]!, credential: 'stolen' }] });
    expect((await readSettingsChecked()).integrity).toBe('tampered');
  });

  it('changing the node list needs the vault unlocked', async () => {
    await writeSettings({ ...DEFAULT_SETTINGS });
    await clearUnlocked();
    await expect(writeSettings({ ...DEFAULT_SETTINGS, storageNodes: attackerNodes })).rejects.toThrow(/Unlock your vault/);
  });
});
