import { equalBytes, fromBase64, toBase64, toHex } from '../../shared/crypto/bytes';
import { wrapDek } from '../../shared/crypto/key-wrap';
import { BackupRecordRow } from '../../shared/protocol/ui/records';
import { UiError } from '../../shared/protocol/ui-errors';
import type { BackupContext, BackupData, RestoreContext, RestorePlan } from '../vault-data/kind';
import { vaultDb, type RecordRow } from './db';
import { revive, type StoredEntry } from './entry';
import { compactIndex, openJson, sealEntries, sealJson } from './index-store';
import { openVault } from './open-vault';
import { rowDekOrUndefined, wrapIsOurs } from './seal';
import type { RecordKeys } from './vault-keys';
import { sha256Native } from '../replicas/native-hash';
import { measureRestore } from '../replicas/restore-timing';

/**
 * The records kind's part of the encrypted backup (extension/vault-data/backup.ts runs it; the file
 * format is in README.md). A record row goes in as it is stored (ciphertext + its own wrapped DEK); the
 * kind's manifest is the whole index sealed under the index key (purpose 'backup'), which is also the
 * authenticated list of what the backup holds (id + content hash per record): a row it does not list,
 * or whose hash differs, is refused on restore. Every key derives from the recovery phrase, so a fresh
 * profile restored from the phrase opens the backup.
 */
const BACKUP_PURPOSE = 'backup';

/**
 * A backup row carries one wrapped DEK per record, so a row whose DEK sits in a key batch gets its own
 * wrap here (shared/crypto wrapDek: same vault key, AAD = its id). A backup is rare and this is one
 * WebCrypto call per record; the file never depends on key batches. A row whose key batch is damaged
 * cannot be given a key: it is written with an empty wrap, which restore rejects (as it would reject
 * that record's damaged ciphertext).
 */
export async function toBackupRow(keys: RecordKeys, r: RecordRow): Promise<BackupRecordRow> {
  let wrapped = r.wrappedDek;
  if (!wrapped) {
    const dek = await rowDekOrUndefined(keys, r);
    wrapped = dek ? await wrapDek(keys.dekWrap, r.id, dek) : new Uint8Array(0);
    dek?.fill(0);
  }
  return { id: r.id, envelope: toBase64(r.envelope), wrappedDek: toBase64(wrapped), contentHash: r.contentHash, dedupKey: r.dedupKey, version: r.version };
}

export const saveRecordRow = (ctx: BackupContext, row: RecordRow): Promise<BackupData> => toBackupRow(ctx.keys, row);

/** The manifest: every index entry, sealed for the backup. */
export async function saveRecordsManifest(ctx: BackupContext): Promise<Uint8Array> {
  const { index } = await openVault();
  return sealJson(ctx.keys, index.all(), BACKUP_PURPOSE);
}

// The opened manifest of the restore in progress, by content (each chunk reads it again from the meta table).
let manifestCache: { blob: Uint8Array; byId: Map<string, StoredEntry> } | undefined;

async function openManifest(keys: RecordKeys, blob: Uint8Array): Promise<Map<string, StoredEntry>> {
  if (!manifestCache || !equalBytes(manifestCache.blob, blob)) {
    const entries = revive(await openJson<StoredEntry[]>(keys, blob, BACKUP_PURPOSE));
    manifestCache = { blob, byId: new Map(entries.map((e) => [e.id, e])) };
  }
  return manifestCache.byId;
}

/**
 * What this restore wrote, when it began on an empty records table: then "already here?" is answered in
 * memory instead of one IndexedDB count per key (the lookup was 11 s of a 56 s 10k network restore).
 * Only trusted while the table holds exactly the rows this restore wrote (one count() per page checks
 * it): anything else writing records meanwhile (an import in another tab), or a worker restart (which
 * forgets this), sends the restore back to the per-key lookup, so a re-sent page is still skipped.
 */
interface RestoreLedger {
  ids: Set<string>;
  dedupKeys: Set<string>;
  /** Rows in the table: the ones this restore committed. */
  count: number;
}
let ledger: RestoreLedger | undefined;

/** At restore begin: the manifest opens under this vault's index key → how many records it lists. */
export async function openRecordsManifest(ctx: BackupContext, blob: Uint8Array): Promise<number> {
  manifestCache = undefined;
  const [listed, here] = await Promise.all([openManifest(ctx.keys, blob), vaultDb().records.count()]);
  ledger = here === 0 ? { ids: new Set(), dedupKeys: new Set(), count: 0 } : undefined;
  return listed.size;
}

/** Which of `parsed` are already here (by de-dup key, by id): from the ledger when it still holds, else one count per key. */
async function alreadyHere(parsed: readonly BackupRecordRow[]): Promise<{ have: Set<string>; haveIds: Set<string> }> {
  const db = vaultDb();
  if (ledger && (await db.records.count()) === ledger.count) {
    const known = ledger;
    return { have: new Set(parsed.filter((r) => known.dedupKeys.has(r.dedupKey)).map((r) => r.dedupKey)), haveIds: new Set(parsed.filter((r) => known.ids.has(r.id)).map((r) => r.id)) };
  }
  ledger = undefined; // someone else wrote records: the ledger no longer tells what is here
  // One count request per key, all pipelined in one read transaction: an anyOf() over a page's random
  // keys walks a cursor with one round trip per key (bench profile: 16.8 s of a 61 s 10k restore).
  const [dedupHits, idHits] = await db.transaction('r', db.records, () =>
    Promise.all([
      Promise.all(parsed.map((r) => db.records.where('dedupKey').equals(r.dedupKey).count())),
      Promise.all(parsed.map((r) => db.records.where(':id').equals(r.id).count())),
    ]),
  );
  return { have: new Set(parsed.filter((_, i) => dedupHits[i]! > 0).map((r) => r.dedupKey)), haveIds: new Set(parsed.filter((_, i) => idHits[i]! > 0).map((r) => r.id)) };
}

// A restore decodes two base64 fields per record: the browser's own decoder where it has one (after the
// same strict check as fromBase64, which throws the same error for anything else), else fromBase64.
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> }).fromBase64;
const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  if (!nativeFromBase64 || text.length % 4 !== 0 || !STRICT_BASE64.test(text)) return fromBase64(text);
  return nativeFromBase64.call(Uint8Array, text);
}

/** record-envelope contentHash (0x ‖ SHA-256 hex of the ciphertext), hashed by WebCrypto. */
const envelopeHash = async (envelope: Uint8Array) => `0x${toHex(await sha256Native(envelope))}`;

/**
 * Keep the rows the manifest vouches for (same id and content hash, the hash matches the bytes, the DEK
 * unwraps under this vault's key); skip those already here (same id or de-dup key), so a re-sent chunk is
 * harmless. Their index entries are sealed into one index chunk that commits with them.
 */
export async function restoreRecordRows(ctx: RestoreContext, data: readonly BackupData[]): Promise<RestorePlan<RecordRow>> {
  if (!ctx.manifest) throw new UiError('invalid', "This backup file is damaged or was changed, so it can't be restored.");
  const { index } = await openVault();
  const listed = await openManifest(ctx.keys, ctx.manifest);
  const t0 = performance.now();
  const parsed = data.flatMap((d) => {
    const p = BackupRecordRow.safeParse(d);
    return p.success ? [p.data] : [];
  });
  measureRestore('records.parse', t0);
  const t1 = performance.now();
  const db = vaultDb();
  const { have, haveIds } = await alreadyHere(parsed);
  const rows: RecordRow[] = [];
  const entries: StoredEntry[] = [];
  let skipped = 0;
  measureRestore('records.lookup', t1);
  const t2 = performance.now();
  const decoded = parsed.map((r) => ({ r, entry: listed.get(r.id), row: { ...r, envelope: base64Bytes(r.envelope), wrappedDek: base64Bytes(r.wrappedDek) } as RecordRow }));
  measureRestore('records.decode', t2);
  // Every row's checks at once: both are WebCrypto calls, which run natively off this thread, so
  // awaiting them one by one left that thread idle between rows.
  const t3 = performance.now();
  const ok = await Promise.all(decoded.map(async ({ r, entry, row }) => !!entry && entry.h === r.contentHash && (await envelopeHash(row.envelope)) === r.contentHash && (await wrapIsOurs(ctx.keys, row))));
  measureRestore('records.check', t3);
  for (const [i, { r, entry, row }] of decoded.entries()) {
    if (!ok[i] || !entry) continue;
    if (have.has(r.dedupKey) || haveIds.has(r.id)) {
      skipped++;
    } else {
      have.add(r.dedupKey);
      rows.push(row);
      entries.push(entry);
    }
  }
  const t4 = performance.now();
  const indexBlob = entries.length ? await sealEntries(ctx.keys, entries) : undefined;
  measureRestore('records.sealIndex', t4);
  return {
    rows,
    skipped,
    rejected: data.length - rows.length - skipped,
    alsoWrite: indexBlob && { tables: ['indexChunks'], write: () => db.indexChunks.add({ blob: indexBlob }) },
    afterCommit: () => {
      index.add(entries);
      if (!ledger) return;
      for (const row of rows) {
        ledger.ids.add(row.id);
        ledger.dedupKeys.add(row.dedupKey);
      }
      ledger.count += rows.length;
    },
  };
}

/** After the last chunk: merge the index chunks the restore appended. */
export async function finishRecordsRestore(ctx: BackupContext): Promise<void> {
  manifestCache = undefined;
  ledger = undefined;
  await compactIndex(ctx.keys);
}
