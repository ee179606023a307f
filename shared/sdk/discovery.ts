import { SecureMedClient, type Eip1193Like, type ProviderInfo } from './client';

/**
 * Finding SecureMed the way EIP-6963 finds wallets: listen for `securemed:announceProvider`, then ask
 * with `securemed:requestProvider`. The extension answers at once when it is installed; when nothing
 * answers within `timeoutMs` the outcome says "not installed", so a portal can show an install hint
 * instead of waiting forever.
 */
export const NOT_INSTALLED_MESSAGE = 'SecureMed is not installed in this browser';

export type Discovery = { installed: true; client: SecureMedClient } | { installed: false; message: string };

export interface DiscoveryOptions {
  /** How long to wait for an answer (default 500 ms: the extension answers within a few ms). */
  timeoutMs?: number;
  /** The window to search (tests hand in a stand-in). */
  win?: Pick<Window, 'addEventListener' | 'removeEventListener' | 'dispatchEvent'>;
}

export function findSecureMed(opts: DiscoveryOptions = {}): Promise<Discovery> {
  const win = opts.win ?? window;
  return new Promise((resolve) => {
    const onAnnounce = (event: Event) => {
      const detail = (event as CustomEvent<{ info?: ProviderInfo; provider?: Eip1193Like }>).detail;
      if (!detail?.provider || typeof detail.provider.request !== 'function' || detail.info?.rdns !== 'org.securemed') return;
      cleanup();
      resolve({ installed: true, client: new SecureMedClient(detail.provider, detail.info) });
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve({ installed: false, message: NOT_INSTALLED_MESSAGE });
    }, opts.timeoutMs ?? 500);
    const cleanup = () => {
      clearTimeout(timer);
      win.removeEventListener('securemed:announceProvider', onAnnounce);
    };
    win.addEventListener('securemed:announceProvider', onAnnounce);
    win.dispatchEvent(new Event('securemed:requestProvider'));
  });
}

/** The client, or undefined when SecureMed is not installed (findSecureMed without the message). */
export async function discoverSecureMed(win: DiscoveryOptions['win'] = window, timeoutMs = 500): Promise<SecureMedClient | undefined> {
  const found = await findSecureMed({ win, timeoutMs });
  return found.installed ? found.client : undefined;
}
