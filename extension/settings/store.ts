import { browser } from 'wxt/browser';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../../shared/crypto/canonical-json';
import { toHex, utf8 } from '../../shared/crypto/bytes';
import { UiError } from '../../shared/protocol/ui-errors';
import { DEFAULT_SETTINGS, NETWORK_FIELDS, Settings } from '../../shared/settings/schema';
import { unlocked } from '../keys/unlocked';
import { readVault } from '../keys/vault-store';

/**
 * Settings in storage.local, always read through the schema (a damaged value falls back to defaults).
 *
 * The network fields (chain, RPC, contracts, messaging node, relayer) decide where SecureMed sends
 * things, so once a vault exists they are authenticated: an HMAC under a key derived from the seed,
 * written whenever they are saved while unlocked. Network fields that do not match their tag were
 * changed outside SecureMed: they are refused (the local-stack defaults are used instead) and the
 * settings page says so. Auto-lock is not covered: lowering it must work while locked, and raising it
 * needs an unlocked vault anyway.
 *
 * The storage-node list is covered too (a process that can write storage.local must not point the
 * vault's replicas at its own nodes). It joins the tagged object only when it differs from the default
 * list, so tags written before it was covered still verify for vaults on the default nodes, and a list
 * added, changed or reset behind SecureMed's back never matches the tag.
 */
const KEY = 'settings';
const MAC_KEY = 'settingsMac';
const MAC_INFO = utf8('securemed/settings-mac/v1');

/** ok: verified (or no vault yet); unverified: locked, cannot check; tampered: refused, defaults in use. */
export type SettingsIntegrity = 'ok' | 'unverified' | 'tampered';

function networkPart(settings: Settings): Record<string, unknown> {
  const part: Record<string, unknown> = Object.fromEntries(NETWORK_FIELDS.map((f) => [f, settings[f]]));
  if (canonicalJson(settings.storageNodes) !== canonicalJson(DEFAULT_SETTINGS.storageNodes)) part.storageNodes = settings.storageNodes;
  return part;
}

/** The covered fields at their defaults: what a tampered read falls back to. */
function defaultNetworkPart(): Partial<Settings> {
  return { ...networkPart(DEFAULT_SETTINGS), storageNodes: DEFAULT_SETTINGS.storageNodes.map((n) => ({ ...n })) };
}

function macOf(seed: Uint8Array, settings: Settings): string {
  const key = hkdf(sha256, seed, undefined, MAC_INFO, 32);
  return toHex(hmac(sha256, key, utf8(canonicalJson(networkPart(settings)))));
}

function sameNetwork(a: Settings, b: Settings): boolean {
  return canonicalJson(networkPart(a)) === canonicalJson(networkPart(b));
}

type Checked = { settings: Settings; integrity: SettingsIntegrity };

/**
 * The last checked read, kept in worker memory because the chain client asks before every chain read
 * (several per search page). It is used only while nothing it depends on can have changed: no change
 * to the settings, their tag or the vault in storage.local (storage.onChanged, which also reports
 * writes from other extension pages and anything else writing storage — a change made outside
 * SecureMed is read and checked again at once), no write through this module, the same unlocked
 * session object (lock/unlock makes a new one; the tag key comes from its seed), and at most
 * MEMO_TTL_MS old. A read that overlapped a change is not kept.
 */
const WATCHED_KEYS = [KEY, MAC_KEY, 'vault'];
const MEMO_TTL_MS = 2_000;
let generation = 0;
let memo: { generation: number; session: unknown; at: number; value: Checked } | undefined;

function forgetCheckedRead(): void {
  generation++;
  memo = undefined;
}

function onStorageChanged(changes: Record<string, unknown>, area: string): void {
  if (area === 'local' && WATCHED_KEYS.some((k) => k in changes)) forgetCheckedRead();
}

/** Registered on every miss (idempotent), and a hit requires it: a lost listener can never leave a stale memo in use. */
function watchStorage(): boolean {
  const event = browser.storage.onChanged;
  if (event.hasListener(onStorageChanged)) return true;
  event.addListener(onStorageChanged);
  forgetCheckedRead();
  return false;
}

export async function readSettingsChecked(): Promise<Checked> {
  const session = await unlocked();
  const watching = watchStorage();
  if (watching && memo && memo.generation === generation && memo.session === session && Date.now() - memo.at < MEMO_TTL_MS) {
    return structuredClone(memo.value);
  }
  const mine = generation;
  const value = await readSettingsFromStorage();
  if (mine === generation && (await unlocked()) === session) memo = { generation: mine, session, at: Date.now(), value: structuredClone(value) };
  return value;
}

async function readSettingsFromStorage(): Promise<Checked> {
  const stored = await browser.storage.local.get([KEY, MAC_KEY]);
  const parsed = Settings.safeParse(stored[KEY]);
  const settings = parsed.success ? parsed.data : DEFAULT_SETTINGS;
  if (sameNetwork(settings, DEFAULT_SETTINGS) || !(await readVault())) return { settings, integrity: 'ok' };
  const session = await unlocked();
  if (!session) return { settings, integrity: 'unverified' };
  if (stored[MAC_KEY] === macOf(session.seed, settings)) return { settings, integrity: 'ok' };
  return { settings: { ...settings, ...defaultNetworkPart() } as Settings, integrity: 'tampered' };
}

export async function readSettings(): Promise<Settings> {
  return (await readSettingsChecked()).settings;
}

/**
 * Save settings. While unlocked the network fields are (re)tagged; while locked only a change that
 * leaves them as they are can be saved (the settings procedure refuses network changes when locked).
 */
export async function writeSettings(settings: Settings): Promise<void> {
  forgetCheckedRead();
  try {
    await writeSettingsNow(Settings.parse(settings));
  } finally {
    forgetCheckedRead();
  }
}

async function writeSettingsNow(value: Settings): Promise<void> {
  const session = await unlocked();
  if (session) {
    await browser.storage.local.set({ [KEY]: value, [MAC_KEY]: macOf(session.seed, value) });
    return;
  }
  const { settings: current } = await readSettingsChecked();
  if (!sameNetwork(current, value) && (await readVault())) throw new UiError('locked', 'Unlock your vault to change network settings. Nothing was saved.');
  await browser.storage.local.set({ [KEY]: value });
}

/** A vault was just created or restored: the settings chosen before it existed become its own. */
export async function adoptSettings(): Promise<void> {
  forgetCheckedRead();
  const session = await unlocked();
  if (!session) return;
  const parsed = Settings.safeParse((await browser.storage.local.get(KEY))[KEY]);
  if (parsed.success) await browser.storage.local.set({ [MAC_KEY]: macOf(session.seed, parsed.data) });
  forgetCheckedRead();
}
