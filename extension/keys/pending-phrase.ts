import { browser } from 'wxt/browser';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../../shared/crypto/bytes';
import { openFromSession, sealForSession } from './session-key';

/**
 * A new recovery phrase between "shown" and "confirmed". Sealed in storage.session so the patient can
 * close the popup to fetch pen and paper and come back to the same words; gone with the browser.
 */
const KEY = 'pendingPhrase';

export async function startPendingPhrase(phrase: string): Promise<string[]> {
  await browser.storage.session.set({ [KEY]: toBase64(await sealForSession(utf8(phrase))) });
  return phrase.split(' ');
}

export async function pendingPhrase(): Promise<string[] | undefined> {
  const sealed = (await browser.storage.session.get(KEY))[KEY] as string | undefined;
  if (!sealed) return undefined;
  const plain = await openFromSession(fromBase64(sealed));
  return plain ? fromUtf8(plain).split(' ') : undefined;
}

export async function clearPendingPhrase(): Promise<void> {
  await browser.storage.session.remove(KEY);
}
