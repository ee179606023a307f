import type { PageEvent } from '../protocol/channel';
import { ProviderErrorCode } from '../protocol/errors';
import { nextParams, type FhirResource, type SearchParams, type SearchsetBundle } from './fhir';

/**
 * A permission as SecureMed reports it (status pending → active, or revoked / expired / failed, with
 * `reason`). The same shape as the protocol's PagePermission (a unit test keeps them equal); written
 * out here so the SDK's declarations need nothing but themselves.
 */
export interface Permission {
  origin: string;
  grantee: string;
  /** The site's pairwise patient account for this grantee (what the chain knows as the patient). */
  patient: string;
  scopes: string[];
  purpose: string;
  /** Unix seconds. */
  expiresAt: number;
  status: 'pending' | 'active' | 'revoked' | 'expired' | 'failed';
  txHash?: string;
  reason?: string;
}

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

/** What each event carries. Events reach only the site they concern, and only once it is connected. */
export interface EventData {
  connect: { address: string };
  disconnect: undefined;
  permissionsChanged: { permissions: Permission[] };
  lock: undefined;
}

/**
 * Errors keep the EIP-1193 code from the one table (`ErrorCodes`, shared/protocol/errors.ts), so a
 * portal can tell "declined" (4001) from "not permitted" (4100), "locked" (4900) or "busy" (-32002).
 */
export class SecureMedError extends Error {
  /** Details when SecureMed gives them: for `submit`'s -32602, `SubmitRejection[]` (why each entry is invalid). */
  readonly data?: unknown;
  constructor(readonly code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'SecureMedError';
    if (data !== undefined) this.data = data;
  }
}

/**
 * What `submit` sends: FHIR R4 `resources`, or one FHIR `bundle` (its entries' resources), at most 50
 * and 64 KiB of JSON; `grantee` only when this site writes for several providers.
 */
export type SubmitParams = { grantee?: string } & ({ resources: FhirResource[]; bundle?: undefined } | { bundle: { resourceType: 'Bundle'; type: string; entry?: Array<{ fullUrl?: string; resource?: FhirResource }> }; resources?: undefined });

/**
 * The patient's answer to `submit`, as indices into what was sent (`resources`, or the Bundle's
 * entries): `accepted` were stored, `declined` the patient left out, `duplicates` were already in the
 * vault. `stored` gives each accepted record's fullUrl, the one this site sees for it in `search`.
 * The same shape as the protocol's SubmitResult (a unit test keeps them equal).
 */
export interface SubmitResult {
  accepted: number[];
  declined: number[];
  duplicates: number[];
  stored: Array<{ index: number; fullUrl: string }>;
}

/** One invalid entry of a refused `submit` (error -32602, `error.data`). */
export interface SubmitRejection {
  index: number;
  reasons: string[];
}

/** Page size the SDK asks for when it pages by itself and the portal named no `_count` (the extension's maximum). */
const AUTO_PAGE_COUNT = 200;

/** Safety stops for automatic paging: a portal that wants more asks for it explicitly. */
export interface PagingLimits {
  /** Most pages to follow (default 100). */
  maxPages?: number;
  /** Stop once this many resources are collected (default 10,000). */
  maxResources?: number;
}

export class SecureMedClient {
  constructor(readonly provider: Eip1193Like, readonly info: ProviderInfo) {}

  private async call<T>(method: string, params?: unknown): Promise<T> {
    try {
      return (await this.provider.request(params === undefined ? { method } : { method, params })) as T;
    } catch (error) {
      const { code, message, data } = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
      throw new SecureMedError(typeof code === 'number' ? code : ProviderErrorCode.internal, typeof message === 'string' ? message : 'SecureMed request failed', data);
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

  /**
   * One page of FHIR search over the records this site's permission covers: a searchset Bundle.
   * Works while the patient's browser is open and the vault unlocked (4900 while locked: the patient
   * unlocks in the SecureMed popup); 4100 when the site holds no permission in force (never granted,
   * revoked, expired) or asks for a type or category outside it; -32602 for params SecureMed cannot
   * honour. Reading while the patient is away is the doctor-sharing path, not this one.
   */
  search<R extends FhirResource = FhirResource>(params: SearchParams = {}): Promise<SearchsetBundle<R>> {
    return this.call('securemed_search', params);
  }

  /**
   * Every page of a search, following `next` links, one Bundle at a time. Without a `_count` it asks
   * for pages of 200 (SecureMed's most; a page also stops at 4 MiB of JSON): each page is one round
   * trip through the extension, so 1,000 records take 5 instead of 20.
   */
  async *searchPages<R extends FhirResource = FhirResource>(params: SearchParams = {}, limits: PagingLimits = {}): AsyncGenerator<SearchsetBundle<R>> {
    const autoCount = params._count === undefined && params._summary === undefined;
    let next: SearchParams | undefined = autoCount ? { ...params, _count: Math.max(1, Math.min(AUTO_PAGE_COUNT, limits.maxResources ?? AUTO_PAGE_COUNT)) } : params;
    for (let page = 0; next && page < (limits.maxPages ?? 100); page++) {
      const bundle: SearchsetBundle<R> = await this.search<R>(next);
      yield bundle;
      next = nextParams(bundle);
    }
  }

  /** All matching resources across pages (automatic paging), up to the limits. */
  async searchAll<R extends FhirResource = FhirResource>(params: SearchParams = {}, limits: PagingLimits = {}): Promise<R[]> {
    const max = limits.maxResources ?? 10_000;
    const out: R[] = [];
    for await (const bundle of this.searchPages<R>(params, limits)) {
      for (const e of bundle.entry ?? []) if (out.length < max) out.push(e.resource);
      if (out.length >= max) break;
    }
    return out;
  }

  /**
   * Offer records to the patient's vault: needs a permission with a SMART v2 write scope for their kind
   * (e.g. `patient/Observation.c?category=laboratory`). Call it from a click handler (no gesture → 4100).
   * The patient reviews them in SecureMed and keeps all, some or none; resolves with which were stored,
   * declined or already there. Rejects -32602 when an entry is not valid FHIR (nothing is stored; the
   * message and `error.data` say why, per entry), 4100 without write permission or for a kind outside
   * it, 4900 while locked, 4001 when the patient declines, -32002 while another request from this site waits.
   */
  submit(params: SubmitParams): Promise<SubmitResult> {
    return this.call('securemed_submit', params);
  }

  on<E extends PageEvent>(event: E, listener: (data: EventData[E]) => void): void {
    this.provider.on(event, listener as (data: unknown) => void);
  }

  off<E extends PageEvent>(event: E, listener: (data: EventData[E]) => void): void {
    this.provider.removeListener(event, listener as (data: unknown) => void);
  }
}
