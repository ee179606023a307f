import { browser } from 'wxt/browser';
import { fromBase64, toBase64 } from '../../shared/crypto/bytes';
import { deriveIdentity, type Identity } from '../../shared/crypto/identity';
import { forgetSessionKey, openFromSession, sealForSession } from './session-key';

/**
 * The unlocked state: the BIP-39 seed, sealed in storage.session (see session-key.ts), and the
 * identity derived from it, cached in worker memory. Only the background reads this.
 */
const KEY = 'unlockedSeed';
let cached: { seed: Uint8Array; identity: Identity } | undefined;

export async function setUnlocked(seed: Uint8Array): Promise<void> {
  const sealed = await sealForSession(seed);
  await browser.storage.session.set({ [KEY]: toBase64(sealed) });
  cached = { seed, identity: deriveIdentity(seed) };
}

/** The seed and identity when unlocked; undefined when locked. Survives a worker restart. */
export async function unlocked(): Promise<{ seed: Uint8Array; identity: Identity } | undefined> {
  if (cached) return cached;
  const stored = (await browser.storage.session.get(KEY))[KEY] as string | undefined;
  if (!stored) return undefined;
  const seed = await openFromSession(fromBase64(stored));
  if (!seed) return undefined;
  cached = { seed, identity: deriveIdentity(seed) };
  return cached;
}

export async function clearUnlocked(): Promise<void> {
  cached?.seed.fill(0);
  cached = undefined;
  await browser.storage.session.remove(KEY);
  await forgetSessionKey();
}
