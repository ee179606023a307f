import { describe, expect, it } from 'vitest';
import { discoverSecureMed, findSecureMed, NOT_INSTALLED_MESSAGE } from '../../../shared/sdk/portal-sdk';

/** A window stand-in: an EventTarget; `announceAs` answers requestProvider like the extension does. */
function fakeWindow(announceAs?: { rdns: string }) {
  const win = new EventTarget();
  if (announceAs) {
    const detail = { info: { uuid: 'u', name: 'SecureMed', icon: '', rdns: announceAs.rdns }, provider: { request: async () => ({}), on() {}, removeListener() {} } };
    win.addEventListener('securemed:requestProvider', () => win.dispatchEvent(new CustomEvent('securemed:announceProvider', { detail })));
  }
  return win as unknown as Window;
}

describe('portal SDK discovery', () => {
  it('finds SecureMed through the announce/request events', async () => {
    const found = await findSecureMed({ win: fakeWindow({ rdns: 'org.securemed' }), timeoutMs: 5_000 });
    expect(found.installed).toBe(true);
    expect(found.installed && found.client.info.rdns).toBe('org.securemed');
  });

  it('says "not installed" after a short wait when nothing answers', async () => {
    const t0 = Date.now();
    const found = await findSecureMed({ win: fakeWindow(), timeoutMs: 50 });
    expect(found).toEqual({ installed: false, message: NOT_INSTALLED_MESSAGE });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    expect(await discoverSecureMed(fakeWindow(), 20)).toBeUndefined();
  });

  it('ignores other providers announcing on the same event', async () => {
    expect((await findSecureMed({ win: fakeWindow({ rdns: 'com.example.wallet' }), timeoutMs: 50 })).installed).toBe(false);
  });
});
