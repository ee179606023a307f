import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { lock, restore, unlock, vaultState } from '../../../extension/keys/vault';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';

/** Issue 16: no messaging address in any unencrypted place — the vault record included. */
const PHRASE = 'test test test test test test test test test test test junk';
const PASSPHRASE = 'correct horse battery staple';

describe('the vault record keeps no address in clear', { timeout: 60_000 }, () => {
  it('a new vault stores none; the address is derived while unlocked and not shown while locked', async () => {
    fakeBrowser.reset();
    const address = deriveIdentity(await mnemonicToSeed(PHRASE)).messaging.address;
    expect(await restore(PHRASE, PASSPHRASE)).toEqual({ status: 'unlocked', address });
    expect(JSON.stringify(await browser.storage.local.get(null)).toLowerCase()).not.toContain(address.toLowerCase().slice(2));
    expect(await lock()).toEqual({ status: 'locked' });
    expect(await vaultState()).toEqual({ status: 'locked' });
  });

  it('a vault written by an older version loses its clear address at the next unlock', async () => {
    const address = deriveIdentity(await mnemonicToSeed(PHRASE)).messaging.address;
    const { vault } = await browser.storage.local.get('vault');
    await browser.storage.local.set({ vault: { ...(vault as object), address } });
    expect(await unlock(PASSPHRASE)).toEqual({ status: 'unlocked', address });
    expect(((await browser.storage.local.get('vault')).vault as Record<string, unknown>).address).toBeUndefined();
  });
});
