import { browser } from 'wxt/browser';
import { z } from 'zod';
import { toHex } from '../../shared/crypto/bytes';
import { CONSENT_KIND } from '../consent/store';
import { vaultDb } from '../records/db';
import { recordKeys } from '../records/vault-keys';
import { openVaultData, sealVaultData, type SealedRow } from '../vault-data/sealed-kind';

/**
 * Sites the patient blocked from the approval window: their requests are refused (4001) at once,
 * without a window, locked or not, and they are listed in the Sharing tab with Unblock.
 *
 * Two copies, for two needs: the check must work while the vault is locked, so storage.local holds
 * SHA-256 digests of the origins (not the origins: a copied profile does not list them in clear);
 * the list the patient reads is vault data (sealed row `~blocked` of the consent kind: encrypted, in
 * the backup). A digest of a guessed origin can still be tested against the local copy; that is the
 * price of refusing without asking for the passphrase.
 */
const LOCAL_KEY = 'consentBlockedDigests';
const ROW_ID = '~blocked';
const BlockedList = z.strictObject({ v: z.literal(1), origins: z.array(z.string().max(512)).max(500) });

async function digest(origin: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`securemed-blocked-site:${origin}`))));
}

async function digests(): Promise<string[]> {
  return ((await browser.storage.local.get(LOCAL_KEY))[LOCAL_KEY] as string[] | undefined) ?? [];
}

/** Works while locked. */
export async function isBlocked(origin: string): Promise<boolean> {
  return (await digests()).includes(await digest(origin));
}

const table = () => vaultDb().table<SealedRow, string>(CONSENT_KIND);

/** The blocked origins, in clear (needs the vault unlocked). */
export async function blockedSites(): Promise<string[]> {
  const row = await table().get(ROW_ID);
  if (!row) return [];
  const parsed = BlockedList.safeParse(await openVaultData<unknown>(await recordKeys(), CONSENT_KIND, ROW_ID, row.sealed).catch(() => undefined));
  return parsed.success ? parsed.data.origins : [];
}

async function save(origins: string[]): Promise<void> {
  const value = BlockedList.parse({ v: 1, origins: [...new Set(origins)] });
  await table().put({ id: ROW_ID, sealed: await sealVaultData(await recordKeys(), CONSENT_KIND, ROW_ID, value) });
  await browser.storage.local.set({ [LOCAL_KEY]: await Promise.all(value.origins.map(digest)) });
}

/** Needs the vault unlocked (the list is sealed). */
export async function blockSite(origin: string): Promise<void> {
  await save([...(await blockedSites()), origin]);
}

export async function unblockSite(origin: string): Promise<void> {
  await save((await blockedSites()).filter((o) => o !== origin));
}
