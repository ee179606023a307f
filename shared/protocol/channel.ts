import { Limits } from './limits';

/**
 * The page channel as the two content scripts see it: page ↔ MAIN-world provider ↔ isolated bridge ↔
 * background. Constants, wire types and the bridge's admission check, with no schema library, because
 * both scripts are injected into every web page the patient visits (budget: 12 kB together).
 *
 * The zod schemas the background parses with live in page.ts; test/unit/boundary proves that
 * `isPageToExtension` accepts exactly what `PageToExtension` accepts, and that the wire types below
 * equal the schemas' inferred types.
 */

/** window.postMessage channel name shared by the provider and the bridge. */
export const PAGE_CHANNEL = 'securemed';

/** Page methods that need a user gesture on the page (checked by the isolated bridge, navigator.userActivation). */
export const GESTURE_METHODS: readonly string[] = ['securemed_requestPermissions', 'securemed_submit'];

/** Runtime port name the bridge opens to the background. */
export const PAGE_PORT = 'securemed-page';

/** Events the background may push to connected pages. */
export const PageEvents = ['connect', 'disconnect', 'permissionsChanged', 'lock'] as const;
export type PageEvent = (typeof PageEvents)[number];

/** One EIP-1193 request as a page sends it. */
export interface PageRequestWire {
  method: string;
  params?: unknown;
}

/** provider → bridge, with window.postMessage. */
export interface PageToExtensionWire {
  channel: typeof PAGE_CHANNEL;
  direction: 'to-extension';
  id: string;
  request: PageRequestWire;
}

/** bridge → background over the page port. `page.request` is re-sent after a worker restart. */
export interface BridgeToBackgroundWire {
  type: 'page.request';
  id: string;
  request: PageRequestWire;
}

export interface PageErrorWire {
  code: number;
  message: string;
  /** Details for the developer, e.g. securemed_submit's per-entry reasons: `[{index, reasons}]`. */
  data?: unknown;
}

/**
 * background → bridge over the page port: an answer to one request, or an event for the page. A large
 * answer (a searchset page) comes as `resultJson`, JSON text the provider parses once in the page,
 * instead of an object graph rebuilt in the bridge and cloned again into the page. Long text travels
 * in parts: `page.response.part` messages in order, then the `page.response` with the last part and
 * `parts`, how many came before it (the bridge joins them; a count that does not match is refused).
 */
export type BackgroundToBridgeWire =
  | { type: 'page.response'; id: string; result?: unknown; resultJson?: string; parts?: number; error?: PageErrorWire }
  | { type: 'page.response.part'; id: string; part: string }
  | { type: 'page.event'; event: PageEvent; data?: unknown };

/** bridge → provider, with window.postMessage: the same answers and events, on the page channel. */
export type ExtensionToPageWire = { channel: typeof PAGE_CHANNEL; direction: 'to-page' } & (
  | { kind: 'response'; id: string; result?: unknown; resultJson?: string; error?: PageErrorWire }
  | { kind: 'event'; event: PageEvent; data?: unknown }
);

/**
 * Characters of `value` as JSON, or Infinity when it has no JSON form (a BigInt or a cycle arrives
 * intact through structured clone and would make JSON.stringify throw) or nests deeper than
 * Limits.pageParamsDepth (found by the page fuzz test: a deep structure passed the size bound and was
 * never answered). Undefined counts as 0.
 */
export function jsonChars(value: unknown): number {
  if (value === undefined) return 0;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return Infinity;
  }
  if (json === undefined) return Infinity;
  return jsonDepth(json) > Limits.pageParamsDepth ? Infinity : json.length;
}

/** Deepest bracket nesting of a JSON text, ignoring brackets inside strings. */
function jsonDepth(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hasOnlyKeys = (value: Record<string, unknown>, allowed: readonly string[]) =>
  Object.keys(value).every((key) => allowed.includes(key));

const boundedString = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;

/**
 * The bridge's admission check, the same rules as page.ts's `PageToExtension` (strict keys, bounded
 * sizes) written by hand so the bridge ships no schema library. The background parses again with zod.
 */
export function isPageToExtension(data: unknown): data is PageToExtensionWire {
  if (!isPlainRecord(data) || !hasOnlyKeys(data, ['channel', 'direction', 'id', 'request'])) return false;
  if (data.channel !== PAGE_CHANNEL || data.direction !== 'to-extension' || !boundedString(data.id, Limits.requestIdChars)) return false;
  const request = data.request;
  if (!isPlainRecord(request) || !hasOnlyKeys(request, ['method', 'params'])) return false;
  return boundedString(request.method, Limits.methodChars) && jsonChars(request.params) <= Limits.pageParamsChars;
}
