import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { clearUnlocked, setUnlocked, unlocked } from '../../../extension/keys/unlocked';

/**
 * Issue 14, auto-lock race: the alarm wakes a stopped worker; messaging start-up calls unlocked(),
 * which reads the sealed seed, then lock() runs to completion while that read is still in flight.
 * The read must not repopulate the in-memory cache afterwards: lock is authoritative.
 * The interleaving is controlled by holding storage.session.get until the lock has finished.
 */
const SEED = new Uint8Array(64).fill(7);

// A hook inside openFromSession: lets a test pause unlocked() after it has opened the sealed seed.
const hooks = vi.hoisted(() => ({ afterOpen: undefined as undefined | (() => Promise<void>) }));
vi.mock('../../../extension/keys/session-key', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../extension/keys/session-key')>();
  return {
    ...real,
    openFromSession: async (sealed: Uint8Array) => {
      const opened = await real.openFromSession(sealed);
      await hooks.afterOpen?.();
      return opened;
    },
  };
});

function holdAfterOpen() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  hooks.afterOpen = async () => {
    hooks.afterOpen = undefined;
    entered();
    await gate;
  };
  return { release, reached };
}

/** Simulates a worker restart: the module (and its memory cache) is loaded afresh, storage stays. */
async function freshWorker() {
  vi.resetModules();
  return import('../../../extension/keys/unlocked');
}

function holdNextSessionGet() {
  const realGet = browser.storage.session.get.bind(browser.storage.session);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  const spy = vi.spyOn(browser.storage.session, 'get').mockImplementationOnce((async (keys: unknown) => {
    const value = await realGet(keys as string);
    entered();
    await gate;
    return value;
  }) as typeof browser.storage.session.get);
  return { release, reached, spy };
}

describe('lock is authoritative over a concurrent unlocked()', () => {
  beforeEach(async () => {
    vi.restoreAllMocks();
    hooks.afterOpen = undefined;
    fakeBrowser.reset();
    await clearUnlocked();
  });

  it('a read that started before lock() finished does not bring the vault back', async () => {
    await setUnlocked(SEED.slice());
    const worker = await freshWorker(); // stopped worker woken by the alarm: empty cache
    const held = holdNextSessionGet();
    const reading = worker.unlocked(); // messaging start-up
    await held.reached; // it has read the sealed seed...
    await worker.clearUnlocked(); // ...and the alarm's lock() runs to completion
    held.release();
    expect(await reading).toBeUndefined();
    expect(await worker.unlocked()).toBeUndefined();
    expect(await browser.storage.session.get(null)).toEqual({});
  });

  it('a read that already opened the sealed seed when lock() ran does not bring the vault back', async () => {
    await setUnlocked(SEED.slice());
    const worker = await freshWorker();
    const held = holdAfterOpen();
    const reading = worker.unlocked();
    await held.reached; // the seed is decrypted in memory...
    await worker.clearUnlocked(); // ...when the alarm's lock() completes
    held.release();
    expect(await reading).toBeUndefined();
    expect(await worker.unlocked()).toBeUndefined();
  });

  it('a read and a lock started in the same tick end locked', async () => {
    await setUnlocked(SEED.slice());
    const worker = await freshWorker();
    // Let the read complete the storage get, then lock while the open (async crypto) is pending.
    const reading = worker.unlocked();
    const locking = worker.clearUnlocked();
    await Promise.all([reading, locking]);
    expect(await worker.unlocked()).toBeUndefined();
  });

  it('an unlock racing a lock ends locked when the lock came last', async () => {
    const unlocking = setUnlocked(SEED.slice());
    const locking = clearUnlocked();
    await Promise.allSettled([unlocking, locking]);
    expect(await unlocked()).toBeUndefined();
    expect(await browser.storage.session.get(null)).toEqual({});
  });

  it('every unlock seals under a fresh session key: an old sealed value no longer opens', async () => {
    await setUnlocked(SEED.slice());
    const first = (await browser.storage.session.get('unlockedSeed')).unlockedSeed as string;
    await setUnlocked(SEED.slice());
    const worker = await freshWorker();
    await browser.storage.session.set({ unlockedSeed: first });
    expect(await worker.unlocked()).toBeUndefined();
  });

  it('still survives a plain worker restart while unlocked', async () => {
    await setUnlocked(SEED.slice());
    const worker = await freshWorker();
    const state = await worker.unlocked();
    expect(state?.seed).toEqual(SEED);
  });
});
