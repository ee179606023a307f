import type { PageEvent } from '../protocol/channel';
import { ProviderErrorCode } from '../protocol/errors';
import type { PagePermission } from '../protocol/page';

/** A permission as SecureMed reports it (status pending → active, or revoked / expired / failed). */
export type Permission = PagePermission;

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

  /**
   * Ask the patient for access to records for `grantee` (which this site's /.well-known/securemed.json
   * must bind to its origin): SMART v2 `scopes`, a purpose code (TREAT, CAREMGT, …) and a number of
   * days. Call it from a click handler: without a user gesture it is refused (4100). Resolves when the
   * patient approved, with `status: 'pending'`; a `permissionsChanged` event follows when the grant is
   * on chain (`active`) or refused (`failed`, with `reason`). Rejects 4001 if the patient declines,
   * -32002 while another request from this site waits, 4100 when the binding does not match.
   */
  requestPermissions(params: { grantee: string; scopes: string[]; purpose: string; durationDays: number }): Promise<Permission> {
    return this.call('securemed_requestPermissions', params);
  }

  /** The permissions this site holds (needs an unlocked vault: 4900 otherwise). */
  async getPermissions(): Promise<Permission[]> {
    return (await this.call<{ permissions: Permission[] }>('securemed_getPermissions')).permissions;
  }

  /** Give up access: for one grantee, or every grant this site holds. */
  async revokePermissions(grantee?: string): Promise<Permission[]> {
    return (await this.call<{ permissions: Permission[] }>('securemed_revokePermissions', grantee ? { grantee } : undefined)).permissions;
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
