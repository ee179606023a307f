import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startBridge } from '../../../extension/bridge/bridge';
import { PAGE_CHANNEL } from '../../../shared/protocol/channel';
import { FakePageWindow, installFakePorts, pageSender } from '../boundary/fake-page';

/** The user-gesture check lives in the isolated bridge, where page scripts cannot reach it. */
const ORIGIN = 'https://portal.example';

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('bridge: user gesture for permission requests', () => {
  const post = (win: FakePageWindow, id: string, method: string) =>
    win.deliver({ channel: PAGE_CHANNEL, direction: 'to-extension', id, request: { method, params: {} } }, win);

  it('refuses securemed_requestPermissions without a gesture (4100) and never forwards it', async () => {
    const ports = installFakePorts(pageSender(ORIGIN));
    const win = new FakePageWindow(ORIGIN);
    startBridge(win, () => false);
    post(win, 'x1', 'securemed_requestPermissions');
    await vi.waitFor(() => expect(win.posted).toHaveLength(1));
    expect(win.posted[0]).toMatchObject({ kind: 'response', id: 'x1', error: { code: 4100 } });
    expect(ports.connect).not.toHaveBeenCalled();
  });

  it('forwards it with a gesture, and forwards other methods either way', async () => {
    const ports = installFakePorts(pageSender(ORIGIN));
    const win = new FakePageWindow(ORIGIN);
    let gesture = true;
    startBridge(win, () => gesture);
    post(win, 'x1', 'securemed_requestPermissions');
    gesture = false;
    post(win, 'x2', 'securemed_getPermissions');
    await vi.waitFor(() => expect(ports.connect).toHaveBeenCalledTimes(1));
    expect(win.posted).toHaveLength(0);
  });
});
