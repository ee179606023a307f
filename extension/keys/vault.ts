import { browser } from 'wxt/browser';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes';
import { isCryptoError } from '../../shared/crypto/errors';
import { generateMnemonic, validateMnemonic } from '../../shared/crypto/identity';
import { decryptSecret, encryptSecret } from '../../shared/crypto/passphrase';
import { passphraseStrength } from '../../shared/crypto/passphrase-strength';
import { UiError } from '../../shared/protocol/ui-errors';
import type { VaultState } from '../../shared/protocol/ui/vault';
import { adoptSettings, readSettings } from '../settings/store';
import { cancelAutoLock, scheduleAutoLock } from './auto-lock';
import { clearPendingPhrase, pendingPhrase, startPendingPhrase } from './pending-phrase';
import { seedFromPhrase } from './phrase-seed';
import { throttledUnlock } from './unlock-throttle';
import { clearUnlocked, setUnlocked, unlocked } from './unlocked';
import { forgetClearAddress, readVault, writeVault } from './vault-store';

/**
 * The vault's life cycle: create (phrase shown once, some words confirmed), restore, unlock, lock, erase.
 * Errors thrown here are UiErrors: a code pages switch on and a message written for the patient, shown as it is.
 */
// The view types are declared with the requests they answer (shared/protocol/ui/vault.ts).
export type { VaultState, VaultStatus } from '../../shared/protocol/ui/vault';

export const MIN_PASSPHRASE = 8;
const lockListeners: Array<() => void> = [];

export function onLock(listener: () => void): void {
  lockListeners.push(listener);
}

export async function vaultState(): Promise<VaultState> {
  const vault = await readVault();
  if (!vault) return { status: 'none' };
  // The address is derived while unlocked and never kept in clear: a locked vault says only that it exists.
  const session = await unlocked();
  return session ? { status: 'unlocked', address: session.identity.messaging.address } : { status: 'locked' };
}

/** Step 1 of creating: a new phrase, held (sealed) in the session until the patient confirms it. */
export async function beginCreate(): Promise<string[]> {
  if (await readVault()) throw new UiError('conflict', 'A vault already exists in this browser.');
  return (await pendingPhrase()) ?? startPendingPhrase(generateMnemonic(12));
}

/** Step 2: the patient typed some of the words back and chose a passphrase. */
export async function finishCreate(passphrase: string, confirmations: Array<{ index: number; word: string }>): Promise<VaultState> {
  const words = await pendingPhrase();
  if (!words) throw new UiError('not_found', 'The recovery phrase is no longer available. Please start again.');
  if (confirmations.length < 3) throw new UiError('invalid', 'Please confirm three words of your recovery phrase.');
  for (const { index, word } of confirmations) {
    if (words[index]?.toLowerCase() !== word.trim().toLowerCase()) {
      throw new UiError('invalid', `Word #${index + 1} does not match. Check what you wrote down and try again.`);
    }
  }
  const state = await storeNewVault(words.join(' '), passphrase);
  await clearPendingPhrase();
  return state;
}

export async function cancelCreate(): Promise<void> {
  await clearPendingPhrase();
}

export async function restore(phrase: string, passphrase: string): Promise<VaultState> {
  if (await readVault()) throw new UiError('conflict', 'A vault already exists in this browser. Erase it first in Settings.');
  let canonical: string;
  try {
    canonical = validateMnemonic(phrase);
  } catch (error) {
    throw new UiError('invalid', `That recovery phrase is not valid: ${(error as Error).message}.`);
  }
  return storeNewVault(canonical, passphrase);
}

const WRONG_PASSPHRASE = 'That passphrase is not right. Your vault is still locked.';

export async function unlock(passphrase: string): Promise<VaultState> {
  const vault = await readVault();
  if (!vault) throw new UiError('not_found', 'There is no vault in this browser yet.');
  if (!passphrase) throw new UiError('invalid', 'Please enter your passphrase.');
  const isWrong = (error: unknown) => error instanceof UiError && error.message === WRONG_PASSPHRASE;
  return throttledUnlock(async () => {
    let phrase: Uint8Array;
    try {
      phrase = await decryptSecret(vault.secret, passphrase);
    } catch (error) {
      if (isCryptoError(error, 'wrong-passphrase')) throw new UiError('invalid', WRONG_PASSPHRASE);
      throw new UiError('internal', 'The stored vault could not be opened. It may be damaged; restore it from your recovery phrase.');
    }
    await setUnlocked(await seedFromPhrase(fromUtf8(phrase)));
    phrase.fill(0);
    await forgetClearAddress();
    await scheduleAutoLock((await readSettings()).autoLockMinutes);
    return vaultState();
  }, isWrong);
}

export async function lock(): Promise<VaultState> {
  await clearUnlocked();
  await cancelAutoLock();
  for (const listener of lockListeners) listener();
  return vaultState();
}

/**
 * Erase everything this extension stored in this browser profile. Someone at an unlocked vault may; at a
 * locked one only with the passphrase (checked under the unlock throttle), so a passer-by cannot wipe it.
 */
export async function wipe(passphrase?: string): Promise<VaultState> {
  const vault = await readVault();
  if (vault && !(await unlocked())) {
    if (!passphrase) throw new UiError('locked', 'Unlock your vault, or enter your passphrase, to erase it.');
    await throttledUnlock(async () => {
      try {
        (await decryptSecret(vault.secret, passphrase)).fill(0);
      } catch (error) {
        if (isCryptoError(error, 'wrong-passphrase')) throw new UiError('invalid', WRONG_PASSPHRASE);
        throw new UiError('internal', 'The stored vault could not be opened to check the passphrase.');
      }
    }, (error) => error instanceof UiError && error.message === WRONG_PASSPHRASE);
  }
  await lock();
  await clearPendingPhrase();
  await browser.storage.local.clear();
  await browser.storage.session.clear();
  for (const db of await indexedDB.databases()) if (db.name) indexedDB.deleteDatabase(db.name);
  return vaultState();
}

/** The patient's activity in SecureMed's own pages pushes the auto-lock back (see auto-lock.ts). */
export async function touch(): Promise<void> {
  if (await unlocked()) await scheduleAutoLock((await readSettings()).autoLockMinutes);
}

async function storeNewVault(phrase: string, passphrase: string): Promise<VaultState> {
  checkPassphrase(passphrase);
  // Independent: the seed (WebCrypto, native) is derived while scrypt (JavaScript) seals the phrase.
  const [seed, secret] = await Promise.all([seedFromPhrase(phrase), encryptSecret(utf8(phrase), passphrase)]);
  await writeVault({ v: 1, secret, createdAt: Date.now() });
  await setUnlocked(seed);
  await adoptSettings();
  await scheduleAutoLock((await readSettings()).autoLockMinutes);
  return vaultState();
}

/** Enforced here, not only hinted in the page: a page can be bypassed, the background cannot. */
function checkPassphrase(passphrase: string): void {
  if (!passphrase) throw new UiError('invalid', 'Please choose a passphrase.');
  if (passphrase.length < MIN_PASSPHRASE) throw new UiError('invalid', `Your passphrase needs at least ${MIN_PASSPHRASE} characters.`);
  const strength = passphraseStrength(passphrase);
  if (strength.score === 0) throw new UiError('invalid', `That passphrase is too easy to guess. ${strength.hint}`);
}
