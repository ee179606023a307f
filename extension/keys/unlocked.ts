import { browser } from 'wxt/browser';
import { fromBase64, toBase64 } from '../../shared/crypto/bytes';
import { deriveIdentity, type Identity } from '../../shared/crypto/identity';
import { forgetSessionKey, openFromSession, sealForSession } from './session-key';

/**
 * The unlocked state: the BIP-39 seed, sealed in storage.session (see session-key.ts), and the
 * identity derived from it, cached in worker memory. Only the background reads this.
 *
 * Lock is authoritative. Every lock and unlock bumps `epoch` synchronously, before its first await;
 * a read (or an unlock) that was in flight across a lock sees the epoch changed and sets no cache.
 * Without this, the auto-lock alarm waking a stopped worker raced messaging start-up: start-up read
 * the sealed seed, the alarm's lock finished, then start-up cached the seed — storage said locked
 * while the worker still served records.
 */
/** The storage.session key of the sealed seed: its appearance there means "just unlocked" (tx-queue/start.ts listens). */
export const UNLOCKED_SEED_KEY = 'unlockedSeed';
const KEY = UNLOCKED_SEED_KEY;
type Unlocked = { seed: Uint8Array; identity: Identity };
let cached: Unlocked | undefined;
let epoch = 0;

export class LockedMeanwhile extends Error {
  constructor() {
    super('The vault was locked while it was being unlocked. Please unlock again.');
    this.name = 'LockedMeanwhile';
  }
}

/** Unlock: a fresh session key every time, so a sealed value from an earlier unlock never opens again. */
export async function setUnlocked(seed: Uint8Array): Promise<void> {
  const mine = ++epoch;
  cached = undefined;
  await forgetSessionKey();
  const sealed = await sealForSession(seed);
  if (mine !== epoch) throw new LockedMeanwhile();
  await browser.storage.session.set({ [KEY]: toBase64(sealed) });
  if (mine !== epoch) {
    // A lock ran while we were writing: it may have cleared before our write landed.
    await browser.storage.session.remove(KEY);
    throw new LockedMeanwhile();
  }
  cached = { seed, identity: deriveIdentity(seed) };
}

/** The seed and identity when unlocked; undefined when locked. Survives a worker restart. */
export async function unlocked(): Promise<Unlocked | undefined> {
  if (cached) return cached;
  const mine = epoch;
  const stored = (await browser.storage.session.get(KEY))[KEY] as string | undefined;
  if (!stored || mine !== epoch) return undefined;
  const seed = await openFromSession(fromBase64(stored));
  if (!seed) return undefined;
  // The sealed value must still be there, unchanged, and no lock or unlock may have started meanwhile.
  const still = (await browser.storage.session.get(KEY))[KEY] as string | undefined;
  if (mine !== epoch || still !== stored) {
    seed.fill(0);
    return undefined;
  }
  cached ??= { seed, identity: deriveIdentity(seed) };
  return cached;
}

/** Lock: the session key goes first, so nothing sealed under it can be opened while the rest is cleared. */
export async function clearUnlocked(): Promise<void> {
  epoch++;
  cached?.seed.fill(0);
  cached = undefined;
  await forgetSessionKey();
  await browser.storage.session.remove(KEY);
}

/**
 * Browser start-up: storage.session is empty, but the session key in IndexedDB outlives the browser.
 * Drop it, so a key from an earlier browser session is never reused.
 */
export async function forgetOnBrowserStart(): Promise<void> {
  if (!(await browser.storage.session.get(KEY))[KEY]) await forgetSessionKey();
}
