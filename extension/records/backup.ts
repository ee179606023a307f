import { fromBase64, toBase64 } from '../../shared/crypto/bytes';
import { contentHash, wrapDek } from '../../shared/crypto/record-envelope';
import type { BackupHeader, BackupRow } from '../../shared/protocol/ui/records';
import { noteBackup } from './backup-status';
import { vaultDb, type RecordRow } from './db';
import { revive, type StoredEntry } from './entry';
import { compactIndex, openJson, sealEntries, sealJson } from './index-store';
import { openVault } from './open-vault';
import { rowDekOrUndefined, wrapIsOurs } from './seal';
import type { RecordKeys } from './vault-keys';

/**
 * Encrypted backup = { header, rows } in one JSON file (see README.md). Rows are the stored rows as they
 * are (ciphertext + wrapped DEK); header.index is the whole index sealed under the index key. Every key
 * derives from the recovery phrase, so a fresh profile restored from the phrase opens the backup. The
 * sealed index is the authenticated list of what the backup holds (id + content hash per record): a row
 * it does not list, or whose hash differs, is refused on restore.
 */
const BACKUP_PURPOSE = 'backup';

/**
 * Backup format v1 (shared/protocol/ui/records.ts BackupRow) carries one wrapped DEK per row, so a row
 * whose DEK sits in a key batch gets its own wrap here (shared/crypto wrapDek: same vault key, AAD =
 * its id). A backup is rare and this is one WebCrypto call per record; the file format, and restoring
 * older files, stay as they were. A row whose key batch is damaged cannot be given a key: it is written
 * with an empty wrap, which restore rejects (as it would reject that record's damaged ciphertext).
 */
export async function toBackupRow(keys: RecordKeys, r: RecordRow): Promise<BackupRow> {
  let wrapped = r.wrappedDek;
  if (!wrapped) {
    const dek = await rowDekOrUndefined(keys, r);
    wrapped = dek ? await wrapDek(keys.dekWrap, r.id, dek) : new Uint8Array(0);
    dek?.fill(0);
  }
  return { id: r.id, envelope: toBase64(r.envelope), wrappedDek: toBase64(wrapped), contentHash: r.contentHash, dedupKey: r.dedupKey, version: r.version };
}

export async function backupPage(offset: number, limit: number) {
  const { keys, index } = await openVault();
  const db = vaultDb();
  const total = await db.records.count();
  const header: BackupHeader | undefined =
    offset === 0
      ? {
          format: 'securemed-backup',
          v: 1,
          createdAt: new Date().toISOString(),
          patient: keys.patient,
          count: total,
          index: toBase64(await sealJson(keys, index.all(), BACKUP_PURPOSE)),
        }
      : undefined;
  const stored = await db.records.orderBy(':id').offset(offset).limit(limit).toArray();
  const rows = await Promise.all(stored.map((r) => toBackupRow(keys, r)));
  if (offset + rows.length >= total) await noteBackup(total);
  return { header, rows, total };
}

// ---- restore: begin (check the header, keep its sealed index) → chunk* → finish ----

const PENDING = 'pendingRestore';
let pendingCache: { blob: Uint8Array; byId: Map<string, StoredEntry> } | undefined;

async function pendingIndex(): Promise<Map<string, StoredEntry>> {
  const { keys } = await openVault();
  const blob = (await vaultDb().meta.get(PENDING))?.value as Uint8Array | undefined;
  if (!blob) throw new Error('Choose the backup file again to restore it.');
  if (pendingCache?.blob !== blob) {
    const entries = revive(await openJson<StoredEntry[]>(keys, blob, BACKUP_PURPOSE));
    pendingCache = { blob, byId: new Map(entries.map((e) => [e.id, e])) };
  }
  return pendingCache.byId;
}

export async function beginRestore(header: BackupHeader): Promise<{ count: number }> {
  const { keys } = await openVault();
  if (header.patient !== keys.patient) {
    throw new Error('This backup belongs to a different vault. Restore it with the recovery phrase it was made with.');
  }
  const blob = fromBase64(header.index);
  let entries: StoredEntry[];
  try {
    entries = await openJson<StoredEntry[]>(keys, blob, BACKUP_PURPOSE);
  } catch {
    throw new Error("This backup file is damaged or was changed, so it can't be restored.");
  }
  await vaultDb().meta.put({ key: PENDING, value: blob });
  pendingCache = undefined;
  return { count: entries.length };
}

/** Store the rows the backup's sealed index vouches for; idempotent, so a re-sent chunk is harmless. */
export async function restoreChunk(rows: BackupRow[]): Promise<{ restored: number; skipped: number; rejected: number }> {
  const { keys, index } = await openVault();
  const listed = await pendingIndex();
  const db = vaultDb();
  const have = new Set((await db.records.where('dedupKey').anyOf(rows.map((r) => r.dedupKey)).toArray()).map((r) => r.dedupKey));
  const haveIds = new Set(await db.records.where(':id').anyOf(rows.map((r) => r.id)).primaryKeys());
  const fresh: RecordRow[] = [];
  const entries: StoredEntry[] = [];
  let skipped = 0;
  let rejected = 0;
  for (const r of rows) {
    const entry = listed.get(r.id);
    const row: RecordRow = { ...r, envelope: fromBase64(r.envelope), wrappedDek: fromBase64(r.wrappedDek) };
    if (!entry || entry.h !== r.contentHash || contentHash(row.envelope) !== r.contentHash || !(await wrapIsOurs(keys, row))) {
      rejected++;
    } else if (have.has(r.dedupKey) || haveIds.has(r.id)) {
      skipped++;
    } else {
      have.add(r.dedupKey);
      fresh.push(row);
      entries.push(entry);
    }
  }
  const indexBlob = entries.length ? await sealEntries(keys, entries) : undefined;
  await db.transaction('rw', [db.records, db.indexChunks], async () => {
    if (fresh.length) await db.records.bulkAdd(fresh);
    if (indexBlob) await db.indexChunks.add({ blob: indexBlob });
  });
  index.add(entries);
  return { restored: fresh.length, skipped, rejected };
}

/** Forget the pending restore and merge the index chunks it appended. */
export async function finishRestore(): Promise<{ total: number }> {
  const { keys, index } = await openVault();
  await vaultDb().meta.delete(PENDING);
  pendingCache = undefined;
  await compactIndex(keys);
  return { total: index.size };
}
