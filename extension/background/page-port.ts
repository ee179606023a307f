import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { ProviderErrorCode, toProviderErrorData } from '../../shared/protocol/errors';
import type { BackgroundToBridgeWire, PageErrorWire, PageEvent } from '../../shared/protocol/channel';
import { BridgeToBackground, PAGE_PORT } from '../../shared/protocol/page';
import { cancelApprovals } from '../approvals/approvals';
import { connectedOrigins } from '../consent/store';
import { handlePageCall } from '../page-api';
import { pageOriginOf } from './sender';
import { logError } from '../logging/log';
import { auditCall } from '../audit/record';
import { answerJson } from '../fhir-search/bundle';

/**
 * The bridge content script of each tab opens one port. Requests are parsed with the shared schema,
 * the origin is taken from port.sender, and each answer goes back on the same port.
 */
const openPorts = new Map<Browser.runtime.Port, string>();

/** Tell every page of a connected site about an event (e.g. 'lock'); sites that are not connected hear nothing. */
export async function broadcastToPages(event: Exclude<PageEvent, 'connect'>): Promise<void> {
  const connected = new Set(await connectedOrigins());
  for (const origin of new Set(openPorts.values())) if (connected.has(origin)) sendToOrigin(origin, event);
}

/** An event for the pages of one origin only (permissionsChanged carries that site's permissions). */
export function sendToOrigin(origin: string, event: PageEvent, data?: unknown): void {
  const message: BackgroundToBridgeWire = { type: 'page.event', event, ...(data !== undefined ? { data } : {}) };
  for (const [port, portOrigin] of openPorts) {
    if (portOrigin !== origin) continue;
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
    openPorts.set(port, origin);
    // Requests of this page still waiting for an answer: when the tab closes or navigates, the port
    // goes away and their approval windows are cancelled (the patient is not left deciding for no one).
    const waiting = new Set<string>();
    port.onDisconnect.addListener(() => {
      openPorts.delete(port);
      void cancelApprovals(origin, [...waiting]);
    });
    port.onMessage.addListener((raw) => {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'string') waiting.add(id);
      void onPageMessage(port, origin, raw).finally(() => typeof id === 'string' && waiting.delete(id));
    });
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
    reply(port, id, answerBody(request.method, result));
    auditCall({ method: request.method, origin, params: request.params, result }); // after the answer (extension/audit/)
  } catch (error) {
    const data = toProviderErrorData(error);
    auditCall({ method: request.method, origin, params: request.params, errorCode: data.code });
    // The page gets a generic message for internal errors; the support log keeps which method failed.
    if (data.code === ProviderErrorCode.internal) logError('page-api', `${request.method} failed`, error);
    reply(port, id, { error: data });
  }
}

/**
 * Methods whose answers travel as JSON text (`resultJson`). A searchset page is up to 4 MiB of JSON:
 * as an object it is serialized here, rebuilt as an object graph in the bridge's world and structured-
 * cloned again into the page (≈ 70 ms of a 200-record page under load, profile in
 * extension/fhir-search/README.md). As text it is serialized once here, crosses the port and the window
 * as one string and is parsed once, in the page. Small answers stay objects.
 */
const JSON_TEXT_METHODS: ReadonlySet<string> = new Set(['securemed_search']);

function answerBody(method: string, result: unknown): { result?: unknown; resultJson?: string } {
  if (!JSON_TEXT_METHODS.has(method) || result === undefined) return { result };
  return { resultJson: answerJson(result) }; // a search Bundle carries its text already (fhir-search/bundle.ts)
}

/**
 * JSON text longer than this crosses the port in parts. Chrome copies a port message through the
 * browser process as a whole; parts of 32 Ki characters overlap that copy with the next part's
 * serializing here and the bridge's receiving: a 370 kB page took 24–36 ms as one message and 11–17 ms
 * in parts, in a standalone measurement on Chromium 156 (parts of 8–16 Ki: 12–14 ms, 64 Ki: 18–22 ms).
 */
export const ANSWER_PART_CHARS = 32 * 1024;

/** `text` cut into parts of at most `size` UTF-16 units, never between the two halves of a surrogate pair. */
export function answerParts(text: string, size = ANSWER_PART_CHARS): string[] {
  const parts: string[] = [];
  let at = 0;
  while (text.length - at > size) {
    let end = at + size;
    const unit = text.charCodeAt(end - 1);
    // Each part stays well-formed UTF-16 on its own. Chromium 156's port carries a lone half intact (the
    // e2e portal search passes without this line), but a transport that re-encodes strings as strict
    // UTF-8 would turn it into U+FFFD; the guard costs one comparison per part.
    if (unit >= 0xd800 && unit <= 0xdbff) end--;
    parts.push(text.slice(at, end));
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

function reply(port: Browser.runtime.Port, id: string, body: { result?: unknown; resultJson?: string; error?: PageErrorWire }): void {
  try {
    if (body.resultJson !== undefined && body.resultJson.length > ANSWER_PART_CHARS) {
      const parts = answerParts(body.resultJson);
      const last = parts.pop()!;
      for (const part of parts) port.postMessage({ type: 'page.response.part', id, part } satisfies BackgroundToBridgeWire);
      port.postMessage({ type: 'page.response', id, resultJson: last, parts: parts.length } satisfies BackgroundToBridgeWire);
      return;
    }
    port.postMessage({ type: 'page.response', id, ...body } satisfies BackgroundToBridgeWire);
  } catch {
    // The tab went away; the bridge of a reloaded page will not be waiting for this answer.
  }
}
