import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { ProviderErrorCode } from '../../shared/protocol/errors';
import { PAGE_CHANNEL, PageToExtension } from '../../shared/protocol/page';
import { PAGE_PORT } from '../../shared/protocol/runtime';

/**
 * The bridge between a page and the background. It accepts only messages the page posted to itself
 * (event.source === window) that match the shared schema, and forwards them on a runtime port.
 *
 * A stopped service worker disconnects the port. Requests still in flight are re-sent on a new port
 * with the same id, and the background re-attaches them (e.g. to an open approval window): the
 * patient's decision is not lost and the page's promise still settles.
 */
const MAX_ATTEMPTS = 4;

export function startBridge(): void {
  const inFlight = new Map<string, { request: PageToExtension['request']; attempts: number }>();
  let port: Browser.runtime.Port | undefined;

  const toPage = (body: Record<string, unknown>) =>
    window.postMessage({ channel: PAGE_CHANNEL, direction: 'to-page', ...body }, window.location.origin);

  const fail = (id: string) => {
    inFlight.delete(id);
    toPage({ kind: 'response', id, error: { code: ProviderErrorCode.disconnected, message: 'SecureMed is not available; reload the page' } });
  };

  const send = (id: string) => {
    const entry = inFlight.get(id);
    if (!entry) return;
    // A worker restart costs one retry; a background that keeps refusing us must not spin forever.
    if (++entry.attempts > MAX_ATTEMPTS) return fail(id);
    try {
      ensurePort().postMessage({ type: 'page.request', id, request: entry.request });
    } catch {
      fail(id);
    }
  };

  function ensurePort(): Browser.runtime.Port {
    if (port) return port;
    const opened = browser.runtime.connect({ name: PAGE_PORT });
    opened.onMessage.addListener((message: { type?: string; id?: string; event?: string; result?: unknown; error?: unknown }) => {
      if (message?.type === 'page.event' && typeof message.event === 'string') return toPage({ kind: 'event', event: message.event });
      if (message?.type !== 'page.response' || typeof message.id !== 'string' || !inFlight.has(message.id)) return;
      inFlight.delete(message.id);
      toPage({ kind: 'response', id: message.id, result: message.result, error: message.error });
    });
    opened.onDisconnect.addListener(() => {
      port = undefined;
      // The worker stopped (or restarted): hand the unanswered requests to the next one.
      for (const id of [...inFlight.keys()]) send(id);
    });
    port = opened;
    return opened;
  }

  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window) return;
    const data = event.data as { channel?: unknown; direction?: unknown; id?: unknown } | null;
    if (!data || data.channel !== PAGE_CHANNEL || data.direction !== 'to-extension') return;
    const parsed = PageToExtension.safeParse(data);
    if (!parsed.success) {
      if (typeof data.id === 'string' && data.id.length <= 64) {
        toPage({ kind: 'response', id: data.id, error: { code: ProviderErrorCode.invalidParams, message: 'Malformed request' } });
      }
      return;
    }
    const { id, request } = parsed.data;
    if (inFlight.has(id)) return; // a replayed id while the first is open: ignore the copy
    inFlight.set(id, { request, attempts: 0 });
    send(id);
  });
}
