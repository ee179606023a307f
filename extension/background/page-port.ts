import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { ProviderErrorCode, toProviderErrorData } from '../../shared/protocol/errors';
import type { BackgroundToBridgeWire, PageErrorWire, PageEvent } from '../../shared/protocol/channel';
import { BridgeToBackground, PAGE_PORT } from '../../shared/protocol/page';
import { handlePageCall } from '../page-api';
import { pageOriginOf } from './sender';
import { logError } from '../logging/log';

/**
 * The bridge content script of each tab opens one port. Requests are parsed with the shared schema,
 * the origin is taken from port.sender, and each answer goes back on the same port.
 */
const openPorts = new Set<Browser.runtime.Port>();

/** Tell every connected page about an event (e.g. 'lock'); pages learn nothing else from it. */
export function broadcastToPages(event: Exclude<PageEvent, 'connect'>): void {
  const message: BackgroundToBridgeWire = { type: 'page.event', event };
  for (const port of openPorts) {
    try {
      port.postMessage(message);
    } catch {
      openPorts.delete(port);
    }
  }
}

export function listenForPages(): void {
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== PAGE_PORT) return;
    const origin = pageOriginOf(port.sender);
    if (!origin) {
      port.disconnect(); // opaque, file: or foreign senders get nothing
      return;
    }
    openPorts.add(port);
    port.onDisconnect.addListener(() => openPorts.delete(port));
    port.onMessage.addListener((raw) => void onPageMessage(port, origin, raw));
  });
}

async function onPageMessage(port: Browser.runtime.Port, origin: string, raw: unknown): Promise<void> {
  const parsed = BridgeToBackground.safeParse(raw);
  if (!parsed.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
    if (id) reply(port, id, { error: { code: ProviderErrorCode.invalidParams, message: 'Malformed request' } });
    return;
  }
  const { id, request } = parsed.data;
  try {
    const result = await handlePageCall(request.method, { origin, requestId: id, params: request.params });
    reply(port, id, { result });
  } catch (error) {
    const data = toProviderErrorData(error);
    // The page gets a generic message for internal errors; the support log keeps which method failed.
    if (data.code === ProviderErrorCode.internal) logError('page-api', `${request.method} failed`, error);
    reply(port, id, { error: data });
  }
}

function reply(port: Browser.runtime.Port, id: string, body: { result?: unknown; error?: PageErrorWire }): void {
  const message: BackgroundToBridgeWire = { type: 'page.response', id, ...body };
  try {
    port.postMessage(message);
  } catch {
    // The tab went away; the bridge of a reloaded page will not be waiting for this answer.
  }
}
