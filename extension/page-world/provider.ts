import { jsonChars, PAGE_CHANNEL, type ExtensionToPageWire, type PageRequestWire, type PageToExtensionWire } from '../../shared/protocol/channel';
import { Limits } from '../../shared/protocol/limits';
import { ProviderErrorCode } from '../../shared/protocol/errors';

/**
 * window.securemed: an EIP-1193-shaped provider living in the page's own world (MAIN).
 * It holds no secrets and decides nothing; it forwards requests to the bridge and returns answers.
 * Everything here is visible to (and forgeable by) the page, so the extension re-checks all of it.
 */
type Listener = (data: unknown) => void;
type Settle = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/** The parts of `window` the provider uses (a test can hand it a stand-in). */
export type ProviderWindow = Pick<Window, 'addEventListener' | 'postMessage' | 'dispatchEvent'>;

export interface SecureMedProvider {
  readonly isSecureMed: true;
  request(args: PageRequestWire): Promise<unknown>;
  on(event: string, listener: Listener): SecureMedProvider;
  removeListener(event: string, listener: Listener): SecureMedProvider;
}

export class ProviderError extends Error {
  /** EIP-1193 `data`: e.g. securemed_submit's per-entry reasons with -32602. */
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** A large answer (a search page) arrives as JSON text (background/page-port.ts) and is parsed once, here. */
function settleJson(settle: Settle, json: string): void {
  try {
    settle.resolve(JSON.parse(json));
  } catch {
    settle.reject(new ProviderError(ProviderErrorCode.internal, 'SecureMed sent an answer that could not be read'));
  }
}

export function createProvider(win: ProviderWindow): SecureMedProvider {
  const pending = new Map<string, Settle>();
  const listeners = new Map<string, Set<Listener>>();

  win.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as Partial<ExtensionToPageWire> | null;
    if (event.source !== win || !data || data.channel !== PAGE_CHANNEL || data.direction !== 'to-page') return;
    if (data.kind === 'response' && typeof data.id === 'string') {
      const settle = pending.get(data.id);
      if (!settle) return;
      pending.delete(data.id);
      if (data.error) settle.reject(new ProviderError(data.error.code, data.error.message, data.error.data));
      else if (typeof data.resultJson === 'string') settleJson(settle, data.resultJson);
      else settle.resolve(data.result);
    } else if (data.kind === 'event' && typeof data.event === 'string') {
      for (const listener of listeners.get(data.event) ?? []) listener(data.data);
    }
  });

  const provider: SecureMedProvider = {
    isSecureMed: true,
    request(args) {
      if (!args || typeof args !== 'object' || typeof args.method !== 'string') {
        return Promise.reject(new ProviderError(ProviderErrorCode.invalidParams, 'request() takes { method, params }'));
      }
      // Too large, too deep or not JSON: refused here, before the browser clones it. A structure deep
      // enough clones on the page's side but fails to arrive in the bridge's world, and its promise
      // would never settle (found by the page fuzz test). The bridge and background check again.
      if (jsonChars(args.params) > Limits.pageParamsChars) {
        return Promise.reject(new ProviderError(ProviderErrorCode.invalidParams, `params must be JSON, at most ${Limits.pageParamsChars} characters and ${Limits.pageParamsDepth} levels deep`));
      }
      const id = crypto.randomUUID();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const message: PageToExtensionWire = { channel: PAGE_CHANNEL, direction: 'to-extension', id, request: { method: args.method, params: args.params } };
        try {
          win.postMessage(message, '*');
        } catch {
          // Params the browser cannot clone (a function, a structure too deep for its stack): an
          // EIP-1193 error like any other bad params, not a DOMException (found by the page fuzz test).
          pending.delete(id);
          reject(new ProviderError(ProviderErrorCode.invalidParams, 'params cannot be sent: not cloneable, or nested too deeply'));
        }
      });
    },
    on(event, listener) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(listener));
      return provider;
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };
  return Object.freeze(provider);
}

/** EIP-6963-style discovery, with SecureMed's own event names so wallets and we don't collide. */
export const providerInfo = Object.freeze({
  uuid: crypto.randomUUID(),
  name: 'SecureMed',
  rdns: 'org.securemed',
  icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"%3E%3Crect width="32" height="32" rx="8" fill="%230f766e"/%3E%3Cpath d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="white"/%3E%3C/svg%3E',
});

export function announce(win: ProviderWindow, provider: SecureMedProvider): void {
  const detail = Object.freeze({ info: providerInfo, provider });
  const send = () => win.dispatchEvent(new CustomEvent('securemed:announceProvider', { detail }));
  win.addEventListener('securemed:requestProvider', send);
  send();
}
