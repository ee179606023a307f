import { browser } from 'wxt/browser';
import { z } from 'zod';
import { PURPOSE_CODES } from '../../shared/protocol/purposes';
import { vaultDb } from '../records/db';
import { recordKeys } from '../records/vault-keys';
import { openVaultData, sealVaultData, type SealedRow } from '../vault-data/sealed-kind';

/**
 * Connected sites and their permissions: vault data (registry kind `consentSites`), one sealed row per
 * origin, in the backup, so the list survives a browser restart and a restore. Readable only while
 * unlocked. Which origins are connected is also kept in storage.session (memory-only, trusted
 * contexts), so events can be limited to connected sites while the vault is locked (the `lock` event).
 */
export const CONSENT_KIND = 'consentSites';
const SESSION_ORIGINS = 'consentOrigins';

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const StoredPermission = z.strictObject({
  grantee: Address,
  /** The pairwise patient account for (origin, grantee): the chain's `patient`. */
  patient: Address,
  scopes: z.array(z.string()).max(32),
  /** The on-chain category bitmask (upper bound of the scopes). */
  mask: z.number().int().nonnegative(),
  purpose: z.enum(PURPOSE_CODES),
  purposeSalt: z.string(),
  expiresAt: z.number().int(),
  status: z.enum(['pending', 'active', 'revoked', 'expired', 'failed']),
  /** What the chain should end up holding: a revoke in flight keeps `status: revoked`, `chain: revoking`. */
  chain: z.enum(['granting', 'granted', 'revoking', 'revoked', 'failed']),
  /** The transaction-queue action (grant or revoke) that brings the chain to `chain` (consent/sync.ts). */
  actionId: z.string().uuid().optional(),
  /** Rows written before consent went through the queue (issue 11, first part): read, never written. */
  relayId: z.string().optional(),
  resigns: z.number().int().nonnegative().optional(),
  txHash: z.string().optional(),
  reason: z.string().max(500).optional(),
  grantedAt: z.number(),
  updatedAt: z.number(),
});
export type StoredPermission = z.infer<typeof StoredPermission>;

export const SiteRecord = z.strictObject({
  v: z.literal(1),
  origin: z.string().max(512),
  /** The pairwise account `securemed_connect` answered (per origin). */
  address: Address,
  connectedAt: z.number(),
  lastUsedAt: z.number(),
  permissions: z.array(StoredPermission).max(64),
  /** "Disconnect": the site is forgotten once the chain has the revokes; until then it is not connected. */
  disconnectedAt: z.number().optional(),
});
export type SiteRecord = z.infer<typeof SiteRecord>;

const table = () => vaultDb().table<SealedRow, string>(CONSENT_KIND);

export async function loadSites(): Promise<SiteRecord[]> {
  const keys = await recordKeys();
  const rows = await table().toArray();
  const sites: SiteRecord[] = [];
  for (const row of rows) {
    const value = await openVaultData<unknown>(keys, CONSENT_KIND, row.id, row.sealed).catch(() => undefined);
    const parsed = SiteRecord.safeParse(value);
    if (parsed.success) sites.push(parsed.data);
  }
  await rememberOrigins(sites.filter((s) => !s.disconnectedAt).map((s) => s.origin));
  return sites.sort((a, b) => a.connectedAt - b.connectedAt);
}

export async function loadSite(origin: string): Promise<SiteRecord | undefined> {
  const keys = await recordKeys();
  const row = await table().get(origin);
  if (!row) return undefined;
  const parsed = SiteRecord.safeParse(await openVaultData<unknown>(keys, CONSENT_KIND, row.id, row.sealed).catch(() => undefined));
  return parsed.success ? parsed.data : undefined;
}

export async function saveSite(site: SiteRecord): Promise<void> {
  const value = SiteRecord.parse(site);
  const keys = await recordKeys();
  await table().put({ id: value.origin, sealed: await sealVaultData(keys, CONSENT_KIND, value.origin, value) });
  // A disconnected site (forgotten once its revokes are on chain) hears no more events.
  const others = (await connectedOrigins()).filter((o) => o !== value.origin);
  await rememberOrigins(value.disconnectedAt ? others : [...others, value.origin]);
}

export async function deleteSite(origin: string): Promise<void> {
  await table().delete(origin);
  await rememberOrigins((await connectedOrigins()).filter((o) => o !== origin));
}

/** Origins known to be connected (works while locked; refreshed whenever the vault list is read). */
export async function connectedOrigins(): Promise<string[]> {
  const stored = await browser.storage.session.get(SESSION_ORIGINS);
  return (stored[SESSION_ORIGINS] as string[] | undefined) ?? [];
}

async function rememberOrigins(origins: string[]): Promise<void> {
  await browser.storage.session.set({ [SESSION_ORIGINS]: [...new Set(origins)] });
}

/**
 * Every change to consent rows goes through one promise chain per worker: a page's request, a chain
 * confirmation and a revoke from the Sharing tab never interleave on one row (read → change → write).
 */
let tail: Promise<unknown> = Promise.resolve();
export function serialConsent<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}

/** Read, change and save one site's row atomically (per worker). Returns the saved row. */
export function updateSite(
  origin: string,
  change: (site: SiteRecord | undefined) => SiteRecord | undefined | Promise<SiteRecord | undefined>,
): Promise<SiteRecord | undefined> {
  return serialConsent(async () => {
    const next = await change(await loadSite(origin));
    if (next) await saveSite(next);
    return next;
  });
}
