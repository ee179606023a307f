import { browser } from 'wxt/browser';
import type { StoredSecret } from '../../shared/crypto/passphrase';

/**
 * What the vault keeps in storage.local: the recovery phrase encrypted under the passphrase
 * (scrypt parameters beside the ciphertext) and the public account address, so the locked popup can
 * say whose vault this is. Nothing else about the patient.
 */
export interface StoredVault {
  v: 1;
  secret: StoredSecret;
  address: string;
  createdAt: number;
}

const KEY = 'vault';

export async function readVault(): Promise<StoredVault | undefined> {
  return (await browser.storage.local.get(KEY))[KEY] as StoredVault | undefined;
}

export async function writeVault(vault: StoredVault): Promise<void> {
  await browser.storage.local.set({ [KEY]: vault });
}
