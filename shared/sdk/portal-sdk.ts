import type { PageEvent } from '../protocol/channel';
import { ProviderErrorCode } from '../protocol/errors';

/**
 * The SecureMed portal SDK: what a web page (a patient portal, a doctor's EHR) uses to find and talk
 * to the extension. No dependencies (the error codes and event names are the protocol's own plain
 * constants and types); safe to bundle into any site.
 *
 *   const securemed = await discoverSecureMed();
 *   if (!securemed) showInstallHint();
 *   await securemed.connect();
 */
export interface Eip1193Like {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): unknown;
  removeListener(event: string, listener: (data: unknown) => void): unknown;
}

export interface ProviderInfo {
  uuid: string;
  name: string;
  icon: string;
  rdns: string;
}

/** Errors keep the EIP-1193 code so a portal can tell "declined" (4001) from "busy" (-32002). */
export class SecureMedError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'SecureMedError';
  }
}

/**
 * The EIP-1193 codes SecureMed answers with: the protocol's own table (one table, not two), so a new
 * code reaches portals without a second edit. `ErrorCodes.userRejected` (4001), `requestPending`
 * (-32002), `disconnected` (4900: no vault yet), …
 */
export { ProviderErrorCode as ErrorCodes } from '../protocol/errors';

export class SecureMedClient {
  constructor(readonly provider: Eip1193Like, readonly info: ProviderInfo) {}

  private async call<T>(method: string, params?: unknown): Promise<T> {
    try {
      return (await this.provider.request({ method, params })) as T;
    } catch (error) {
      const { code, message } = error as { code?: number; message?: string };
      throw new SecureMedError(typeof code === 'number' ? code : ProviderErrorCode.internal, message ?? 'SecureMed request failed');
    }
  }

  /**
   * Ask the patient to let this site connect. Resolves with the account SecureMed uses for this site
   * (a pairwise address: other sites see a different one); rejects with 4001 if the patient declines,
   * 4900 if SecureMed has no vault yet.
   */
  connect(): Promise<{ connected: true; origin: string; address: string }> {
    return this.call('securemed_connect');
  }

  /** Whether this site is connected, without prompting the patient. */
  status(): Promise<{ connected: boolean }> {
    return this.call('securemed_status');
  }

  on(event: PageEvent, listener: (data: unknown) => void): void {
    this.provider.on(event, listener);
  }
}

/**
 * Find the extension the way EIP-6963 finds wallets: listen for announcements, then ask for one.
 * Resolves with undefined when nothing answers within `timeoutMs` (the extension is not installed).
 */
export function discoverSecureMed(win: Window = window, timeoutMs = 1000): Promise<SecureMedClient | undefined> {
  return new Promise((resolve) => {
    const onAnnounce = (event: Event) => {
      const detail = (event as CustomEvent<{ info: ProviderInfo; provider: Eip1193Like }>).detail;
      if (!detail?.provider || detail.info?.rdns !== 'org.securemed') return;
      cleanup();
      resolve(new SecureMedClient(detail.provider, detail.info));
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve(undefined);
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      win.removeEventListener('securemed:announceProvider', onAnnounce);
    };
    win.addEventListener('securemed:announceProvider', onAnnounce);
    win.dispatchEvent(new Event('securemed:requestProvider'));
  });
}
