import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { delayAfter } from '../../../extension/keys/unlock-throttle';
import { lock, restore, unlock, vaultState } from '../../../extension/keys/vault';
import { UiError } from '../../../shared/protocol/ui-errors';

/** Issue 14: unlock is one attempt at a time with growing delays; weak passphrases are refused here. */
const PHRASE = 'test test test test test test test test test test test junk';
const GOOD = 'correct horse battery staple';

// Every attempt runs scrypt (≈0.5–1 s on this machine): generous timeouts, no timing asserted.
describe('unlock guard and passphrase policy (background)', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    fakeBrowser.reset();
    await restore(PHRASE, GOOD);
    await lock();
  }, 60_000);
  afterEach(() => vi.useRealTimers());

  it('refuses weak passphrases in the background, whatever the page did', async () => {
    fakeBrowser.reset();
    for (const weak of ['short', 'password123', 'aaaaaaaaaaaa']) {
      await expect(restore(PHRASE, weak)).rejects.toBeInstanceOf(UiError);
    }
    expect((await vaultState()).status).toBe('none');
    await restore(PHRASE, GOOD);
    await lock();
  });

  it('one attempt at a time: a second concurrent attempt is refused, not queued', async () => {
    const first = unlock('wrong passphrase one');
    await expect(unlock(GOOD)).rejects.toMatchObject({ code: 'conflict' });
    await expect(first).rejects.toThrow(/not right/);
  });

  it('grows the delay after repeated wrong passphrases, and the right one resets it', async () => {
    expect([1, 2, 3, 4, 5, 12].map(delayAfter)).toEqual([0, 0, 2_000, 4_000, 8_000, 300_000]);
    await expect(unlock('wrong passphrase two')).rejects.toThrow(/not right/); // 2nd failure in a row
    await expect(unlock('wrong passphrase three')).rejects.toThrow(/not right/); // 3rd: now 2 s
    await expect(unlock(GOOD)).rejects.toThrow(/wait 2 seconds/); // even the right one waits
    expect((await vaultState()).status).toBe('locked');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2_100);
    await expect(unlock('wrong passphrase four')).rejects.toThrow(/not right/); // 4th: now 4 s
    await expect(unlock(GOOD)).rejects.toThrow(/wait 4 seconds/);
    vi.setSystemTime(Date.now() + 4_100);
    expect((await unlock(GOOD)).status).toBe('unlocked');
    await lock();
    await expect(unlock('wrong passphrase five')).rejects.toThrow(/not right/); // counting starts again
  });
});
