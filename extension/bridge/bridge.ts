import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import {
  GESTURE_METHODS,
  PAGE_CHANNEL,
  PAGE_PORT,
  type BackgroundToBridgeWire,
  type BridgeToBackgroundWire,
  type ExtensionToPageWire,
  type PageRequestWire,
  isPageToExtension,
} from '../../shared/protocol/channel';
import { ProviderErrorCode } from '../../shared/protocol/errors';
import { Limits } from '../../shared/protocol/limits';

/**
 * The bridge between a page and the background. It accepts only messages the page posted to itself
 * (event.source === window) that pass the page channel's admission check, and forwards them on a
 * runtime port. It adds nothing: the background parses every message again with the full schema.
 *
 * A stopped service worker disconnects the port. Requests still in flight are re-sent on a new port
 * with the same id, and the background re-attaches them (e.g. to an open approval window): the
 * patient's decision is not lost and the page's promise still settles.
 */
const MAX_ATTEMPTS = 4;

/** The parts of `window` the bridge uses (a test can hand it a stand-in). */
export type BridgeWindow = Pick<Window, 'addEventListener' | 'postMessage'> & { location: Pick<Location, 'origin'> };

type ToPage = ExtensionToPageWire extends infer M ? (M extends unknown ? Omit<M, 'channel' | 'direction'> : never) : never;

/**
 * Whether the page has a fresh user gesture (a click, a key) right now. Read here, in the isolated
 * world, because the MAIN-world provider is the page's to tamper with.
 */
const pageHasGesture = () => (globalThis.navigator as Navigator | undefined)?.userActivation?.isActive === true;

export function startBridge(win: BridgeWindow, hasGesture: () => boolean = pageHasGesture): void {
  const inFlight = new Map<string, { request: PageRequestWire; attempts: number }>();
  /** Parts of long answer text received so far, per request (background/page-port.ts sends them in order). */
  const answerParts = new Map<string, string[]>();
  let port: Browser.runtime.Port | undefined;

  const toPage = (body: ToPage) => {
    const message = { channel: PAGE_CHANNEL, direction: 'to-page', ...body } as ExtensionToPageWire;
    win.postMessage(message, win.location.origin);
  };

  const fail = (id: string) => {
    inFlight.delete(id);
    answerParts.delete(id);
    toPage({ kind: 'response', id, error: { code: ProviderErrorCode.disconnected, message: 'SecureMed is not available; reload the page' } });
  };

  const send = (id: string) => {
    const entry = inFlight.get(id);
    if (!entry) return;
    // A worker restart costs one retry; a background that keeps refusing us must not spin forever.
    if (++entry.attempts > MAX_ATTEMPTS) return fail(id);
    try {
      const message: BridgeToBackgroundWire = { type: 'page.request', id, request: entry.request };
      ensurePort().postMessage(message);
    } catch {
      fail(id);
    }
  };

  function ensurePort(): Browser.runtime.Port {
    if (port) return port;
    const opened = browser.runtime.connect({ name: PAGE_PORT });
    opened.onMessage.addListener((message: Partial<BackgroundToBridgeWire> | null) => {
      if (message?.type === 'page.event' && typeof message.event === 'string') {
        return toPage({ kind: 'event', event: message.event, ...(message.data !== undefined ? { data: message.data } : {}) });
      }
      if (message?.type === 'page.response.part') {
        if (typeof message.id !== 'string' || !inFlight.has(message.id) || typeof message.part !== 'string') return;
        const got = answerParts.get(message.id);
        if (got) got.push(message.part);
        else answerParts.set(message.id, [message.part]);
        return;
      }
      if (message?.type !== 'page.response' || typeof message.id !== 'string' || !inFlight.has(message.id)) return;
      inFlight.delete(message.id);
      const before = answerParts.get(message.id) ?? [];
      answerParts.delete(message.id);
      // JSON text (a search page) is passed on as the string it is: the provider parses it in the page.
      if (typeof message.resultJson === 'string') {
        if ((message.parts ?? 0) !== before.length) return toPage({ kind: 'response', id: message.id, error: { code: ProviderErrorCode.internal, message: 'The answer arrived incomplete; try again' } });
        return toPage({ kind: 'response', id: message.id, resultJson: before.length ? before.join('') + message.resultJson : message.resultJson });
      }
      toPage({ kind: 'response', id: message.id, result: message.result, error: message.error });
    });
    opened.onDisconnect.addListener(() => {
      port = undefined;
      answerParts.clear(); // a re-sent request is answered again from the start
      // The worker stopped (or restarted): hand the unanswered requests to the next one.
      for (const id of [...inFlight.keys()]) send(id);
    });
    port = opened;
    return opened;
  }

  win.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== win) return;
    const data = event.data as { channel?: unknown; direction?: unknown; id?: unknown } | null;
    if (!data || data.channel !== PAGE_CHANNEL || data.direction !== 'to-extension') return;
    if (!isPageToExtension(data)) {
      // Answer a malformed request when it names an id the page could be waiting on.
      if (typeof data.id === 'string' && data.id.length <= Limits.requestIdChars) toPage({ kind: 'response', id: data.id, error: { code: ProviderErrorCode.invalidParams, message: 'Malformed request' } });
      return;
    }
    const { id, request } = data;
    if (inFlight.has(id)) return; // a replayed id while the first is open: ignore the copy
    if (GESTURE_METHODS.includes(request.method) && !hasGesture()) {
      return toPage({ kind: 'response', id, error: { code: ProviderErrorCode.unauthorized, message: 'This request needs a click or key press on the page first' } });
    }
    inFlight.set(id, { request, attempts: 0 });
    send(id);
  });
}
