import { vaultDb } from '../records/db';
import { recordKeys, type RecordKeys } from '../records/vault-keys';
import { logged } from '../logging/log';
import { openVaultData, sealVaultData, type SealedRow } from '../vault-data/sealed-kind';
import { hmacSha256 } from './hmac';
import { AUDIT_KIND, AuditEntry, MAX_READS_PER_ENTRY, type AccessNote } from './entry';

/**
 * The audit trail at rest: one sealed row per entry (registry kind `auditEvents`, vault schema v6, in
 * the backup and the replicas like any sealed kind).
 *
 * Retention, so a polling portal cannot grow it without bound:
 *  - identical calls (same site, method, grantee, scopes, outcome, code, records read) in the same
 *    COALESCE_WINDOW_MS window share ONE row whose `count` grows and `last` moves on;
 *  - at most MAX_ENTRIES rows: the oldest go first.
 * The row id is `<window start, base36, fixed width>.<HMAC of the call's identity>`: primary-key order
 * is time order (the cap deletes from the front), and the same call in the same window finds its row
 * again after a worker restart. The HMAC (under the vault's de-dup key) keeps the site out of the id;
 * what stays readable on disk is only the 10-minute window in which some call happened.
 */
export const COALESCE_WINDOW_MS = 10 * 60_000;
export const MAX_ENTRIES = 10_000;

const table = () => vaultDb().table<SealedRow, string>(AUDIT_KIND);

async function rowIdOf(keys: RecordKeys, note: AccessNote): Promise<string> {
  const identity = JSON.stringify([note.origin, note.method, note.grantee ?? '', [...(note.scopes ?? [])].sort(), note.outcome, note.code ?? 0, note.resources, note.reads]);
  const mac = await hmacSha256(keys.dedup, `SecureMed audit v1\n${identity}`);
  const window = Math.floor(note.at / COALESCE_WINDOW_MS) * COALESCE_WINDOW_MS;
  return `${window.toString(36).padStart(10, '0')}.${mac.slice(0, 32)}`;
}

/**
 * Append calls to the trail (coalescing, then the cap), in one transaction per batch. Throws
 * LockedError while the vault is locked: the caller keeps the notes and tries again after unlock.
 */
export async function appendNotes(notes: readonly AccessNote[]): Promise<void> {
  if (notes.length === 0) return;
  const keys = await recordKeys();
  const merged = new Map<string, AuditEntry>();
  for (const note of notes) {
    const id = await rowIdOf(keys, note);
    let entry = merged.get(id);
    if (!entry) {
      const row = await table().get(id);
      const stored = row ? AuditEntry.safeParse(await openVaultData<unknown>(keys, AUDIT_KIND, id, row.sealed).catch(() => undefined)) : undefined;
      entry = stored?.success ? stored.data : undefined;
    }
    merged.set(id, entry ? { ...entry, count: entry.count + (note.count ?? 1), first: Math.min(entry.first, note.at), last: Math.max(entry.last, note.at) } : newEntry(id, note));
  }
  const rows: SealedRow[] = [];
  for (const [id, entry] of merged) {
    const valid = AuditEntry.safeParse(entry);
    if (valid.success) rows.push({ id, sealed: await sealVaultData(keys, AUDIT_KIND, id, valid.data) });
    else logged('audit', `an audit entry did not fit the schema (${valid.error.issues[0]?.path.join('.')})`)(undefined);
  }
  const db = vaultDb();
  await db.transaction('rw', table(), async () => {
    await table().bulkPut(rows);
    const over = (await table().count()) - MAX_ENTRIES;
    if (over > 0) await table().bulkDelete(await table().orderBy(':id').limit(over).primaryKeys());
  });
}

function newEntry(id: string, note: AccessNote): AuditEntry {
  const reads = note.reads.slice(0, MAX_READS_PER_ENTRY).map((r) => r.slice(0, 200));
  const more = note.reads.length - reads.length;
  return {
    v: 1,
    id,
    method: note.method.slice(0, 64),
    origin: note.origin.slice(0, 512),
    ...(note.grantee ? { grantee: note.grantee } : {}),
    scopes: (note.scopes ?? []).slice(0, 32).map((s) => s.slice(0, 200)),
    outcome: note.outcome,
    ...(note.code !== undefined ? { code: note.code } : {}),
    resources: note.resources,
    reads,
    ...(more > 0 ? { more } : {}),
    first: note.at,
    last: note.at,
    count: note.count ?? 1,
  };
}

/**
 * Entries already opened in this worker, keyed by row id and the row's GCM tag (its last 16 bytes,
 * fresh for every sealing): a row re-sealed by a coalesced call is opened again, an unchanged one is
 * not. Bound to the unlocked vault's keys and dropped on lock (start.ts), so Activity opened again does
 * not decrypt 10,000 rows each time. Plaintext stays in the background, like everything it shows.
 */
let opened: { keys: RecordKeys; byId: Map<string, { tag: string; entry: AuditEntry }> } | undefined;

export function forgetOpenedEntries(): void {
  opened = undefined;
}

const tagOf = (sealed: Uint8Array) => Array.from(sealed.subarray(Math.max(0, sealed.length - 16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** Every entry that opens and parses, newest first. Throws LockedError when locked. */
export async function loadEntries(): Promise<AuditEntry[]> {
  const keys = await recordKeys();
  if (opened?.keys !== keys) opened = { keys, byId: new Map() };
  const cache = opened.byId;
  const rows = await table().toArray();
  const out: AuditEntry[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.id);
    const tag = tagOf(row.sealed);
    const hit = cache.get(row.id);
    if (hit?.tag === tag) {
      out.push(hit.entry);
      continue;
    }
    const value = await openVaultData<unknown>(keys, AUDIT_KIND, row.id, row.sealed).catch(logged('audit', 'an audit row did not open (skipped)'));
    const parsed = AuditEntry.safeParse(value);
    if (parsed.success && parsed.data.id === row.id) {
      cache.set(row.id, { tag, entry: parsed.data });
      out.push(parsed.data);
    }
  }
  for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id); // dropped by the cap, or a restore
  return out.sort((a, b) => b.last - a.last);
}

export async function countRows(): Promise<number> {
  return table().count();
}
