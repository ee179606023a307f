import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startBridge } from '../../../extension/bridge/bridge';
import { createProvider, type ProviderWindow } from '../../../extension/page-world/provider';
import { PAGE_CHANNEL, PAGE_PORT } from '../../../shared/protocol/channel';
import { ProviderErrorCode } from '../../../shared/protocol/errors';
import { FakePageWindow, installFakePorts, pageSender } from './fake-page';

/**
 * The whole page path in one process: the real MAIN-world provider and the real bridge on a page
 * window, the real background port handler, page API and approvals behind runtime ports. Only the
 * browser is fake (WXT's fake browser, plus ports and a window from fake-page.ts).
 */
const ORIGIN = 'https://portal.example';

/** A fresh background, as a woken service worker loads it: no module state survives a restart. */
async function freshBackground() {
  vi.resetModules();
  const [pagePort, approvals] = await Promise.all([
    import('../../../extension/background/page-port'),
    import('../../../extension/approvals/approvals'),
  ]);
  return { listenForPages: pagePort.listenForPages, approvals };
}

function openPage() {
  const win = new FakePageWindow(ORIGIN);
  const provider = createProvider(win as unknown as ProviderWindow);
  startBridge(win);
  return { win, provider };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: number }) => error.code,
  );

let ports: ReturnType<typeof installFakePorts>;

// The first import transforms the background's module graph (seconds on a busy machine); later
// fresh imports re-run it from the cache.
beforeAll(() => freshBackground(), 60_000);

beforeEach(() => {
  fakeBrowser.reset();
  ports = installFakePorts(pageSender(ORIGIN));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('page → provider → bridge → background', () => {
  it('answers a page request, refuses an unknown method with 4200, and opens one port per page', async () => {
    (await freshBackground()).listenForPages();
    const { provider } = openPage();
    await expect(provider.request({ method: 'securemed_status' })).resolves.toEqual({ connected: false });
    expect(await codeOf(provider.request({ method: 'securemed_sign' }))).toBe(ProviderErrorCode.unsupportedMethod);
    expect(ports.connect).toHaveBeenCalledTimes(1);
    expect(ports.connect).toHaveBeenCalledWith({ name: PAGE_PORT });
  });

  it('the bridge relays only what the page posted to itself, and answers malformed requests with -32602', async () => {
    (await freshBackground()).listenForPages();
    const { win } = openPage();
    const request = { channel: PAGE_CHANNEL, direction: 'to-extension', id: 'r1', request: { method: 'securemed_status' } };
    win.deliver(request, {}); // another frame, or a forged source
    await new Promise((done) => setTimeout(done, 20));
    expect(ports.connect).not.toHaveBeenCalled();

    win.deliver({ ...request, id: 'r2', extra: true }, win);
    await vi.waitFor(() => expect(win.posted).toContainEqual(expect.objectContaining({ kind: 'response', id: 'r2', error: expect.objectContaining({ code: ProviderErrorCode.invalidParams }) })));
    expect(ports.connect).not.toHaveBeenCalled();
  });

  it('the background parses again: a malformed message from a (compromised) bridge gets -32602, not a call', async () => {
    (await freshBackground()).listenForPages();
    const replies: unknown[] = [];
    const port = fakeBrowser.runtime.connect({ name: PAGE_PORT });
    port.onMessage.addListener((message) => void replies.push(message));
    port.postMessage({ type: 'page.request', id: 'x1', request: { method: 'securemed_status', params: 1n } });
    port.postMessage({ type: 'page.request', id: 'x2', request: { method: 'securemed_status' }, origin: 'https://bank.example' });
    await vi.waitFor(() => expect(replies).toHaveLength(2));
    for (const reply of replies) expect(reply).toMatchObject({ type: 'page.response', error: { code: ProviderErrorCode.invalidParams } });
  });
});

describe('a service-worker restart while the patient decides', () => {
  beforeEach(async () => {
    // readVault() only asks whether a vault exists; connect then asks the patient.
    await fakeBrowser.storage.local.set({ vault: { v: 1, address: '0x0000000000000000000000000000000000000001' } });
  });

  async function connectAndWaitForWindow() {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    (await freshBackground()).listenForPages();
    const { provider } = openPage();
    const answer = codeOf(provider.request({ method: 'securemed_connect' }));
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    const approvalId = String(create.mock.calls[0][0]?.url).split('#')[1];
    return { create, answer, approvalId };
  }

  it('the bridge re-sends on a new port and the new worker re-attaches to the open approval window', async () => {
    const { create, answer, approvalId } = await connectAndWaitForWindow();
    let background!: Awaited<ReturnType<typeof freshBackground>>;
    await ports.restart(async () => {
      background = await freshBackground();
      background.listenForPages();
    });
    await vi.waitFor(() => expect(ports.connect).toHaveBeenCalledTimes(2));
    // The re-sent request found its approval: no second window, and not "-32002 already pending".
    await new Promise((done) => setTimeout(done, 20));
    expect(create).toHaveBeenCalledTimes(1);

    await background.approvals.decide(approvalId, 'rejected');
    expect(await answer).toBe(ProviderErrorCode.userRejected);
  });

  it('a decision made while no worker was listening reaches the re-sent request', async () => {
    const { create, answer, approvalId } = await connectAndWaitForWindow();
    await ports.restart(async () => {
      const background = await freshBackground();
      background.listenForPages();
      // The approval window's click wakes the worker before the bridge's re-send arrives.
      await background.approvals.decide(approvalId, 'rejected');
    });
    expect(await answer).toBe(ProviderErrorCode.userRejected);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('the bridge gives up with 4900 when the background keeps dropping the port', async () => {
    ports.listen((port) => port.onMessage.addListener(() => port.disconnect()));
    const { provider } = openPage();
    expect(await codeOf(provider.request({ method: 'securemed_status' }))).toBe(ProviderErrorCode.disconnected);
    expect(ports.connect).toHaveBeenCalledTimes(4);
  });
});
