import { browser } from 'wxt/browser';
import type { StoredSecret } from '../../shared/crypto/passphrase';

/**
 * What the vault keeps in storage.local: the recovery phrase encrypted under the passphrase (scrypt
 * parameters beside the ciphertext) and when it was made. No address: the messaging address would link
 * this profile to the patient's conversations, so it is derived only while unlocked. (Vaults written
 * before kept one; it is dropped at the next unlock.)
 */
export interface StoredVault {
  v: 1;
  secret: StoredSecret;
  createdAt: number;
  /** Only in vaults written by older versions; removed at unlock. */
  address?: string;
}

const KEY = 'vault';

export async function readVault(): Promise<StoredVault | undefined> {
  return (await browser.storage.local.get(KEY))[KEY] as StoredVault | undefined;
}

export async function writeVault(vault: StoredVault): Promise<void> {
  await browser.storage.local.set({ [KEY]: vault });
}

/** Drop what older versions kept in clear (the messaging address). */
export async function forgetClearAddress(): Promise<void> {
  const vault = await readVault();
  if (vault && 'address' in vault) {
    const { address: _address, ...rest } = vault;
    await writeVault(rest);
  }
}
