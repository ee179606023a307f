import { RecordLimits, type BackupHeader, type BackupRow } from '../../../shared/protocol/ui/records';
import { ask } from '../../ui/messenger';

/**
 * The two export files, assembled in the page from pages the background answers, and the restore.
 * Backup file (versioned JSON): { ...BackupHeader, rows: BackupRow[] } — ciphertext only.
 */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const stamp = () => new Date().toISOString().slice(0, 10);

/** A backup holds the records and the vault data that goes with them (sharing, activity, proofs, …). */
export interface BackupCounts {
  records: number;
  items: number;
}

const isRecordRow = (row: unknown) => !(row && typeof row === 'object' && 'kind' in row) || (row as { kind: unknown }).kind === 'records'; // a v1 row is a record

export async function saveBackup(): Promise<BackupCounts> {
  let header: BackupHeader | undefined;
  const rows: BackupRow[] = [];
  for (let offset = 0; ; ) {
    const page = await ask({ type: 'records.export.backup', offset, limit: RecordLimits.pageRecords });
    header ??= page.header;
    rows.push(...page.rows);
    offset += page.rows.length;
    if (!page.rows.length || offset >= page.total) break;
  }
  download(`securemed-backup-${stamp()}.json`, JSON.stringify({ ...header!, rows }), 'application/json');
  return { records: rows.filter(isRecordRow).length, items: rows.length };
}

export async function exportBundle(): Promise<{ exported: number; damaged: number }> {
  const resources: unknown[] = [];
  let damaged = 0;
  for (let offset = 0; ; ) {
    const page = await ask({ type: 'records.export.bundle', offset, limit: RecordLimits.pageRecords });
    resources.push(...page.resources);
    damaged += page.damaged;
    offset += page.read;
    if (!page.read || offset >= page.total) break;
  }
  const bundle = { resourceType: 'Bundle', type: 'collection', timestamp: new Date().toISOString(), entry: resources.map((resource) => ({ resource })) };
  download(`health-records-${stamp()}.fhir.json`, JSON.stringify(bundle, null, 1), 'application/fhir+json');
  return { exported: resources.length, damaged };
}

export interface RestoreResult {
  count: number;
  /** How many of the file's items are records (the rest is sharing, activity, proofs, …). */
  records: number;
  restored: number;
  skipped: number;
  rejected: number;
}

export async function restoreBackup(file: File, onProgress: (done: number, count: number) => void): Promise<RestoreResult> {
  let parsed: { rows?: unknown } & Record<string, unknown>;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    throw new Error("This file isn't a SecureMed backup (it can't be read as JSON).");
  }
  if (parsed?.format !== 'securemed-backup' || !Array.isArray(parsed.rows)) throw new Error("This file isn't a SecureMed backup.");
  const { rows, ...header } = parsed;
  const { count } = await ask({ type: 'records.restore.begin', header: header as BackupHeader });
  const all = rows as BackupRow[];
  const result: RestoreResult = { count, records: all.filter(isRecordRow).length, restored: 0, skipped: 0, rejected: 0 };
  let chunk: BackupRow[] = [];
  let chars = 0;
  const flush = async () => {
    const r = await ask({ type: 'records.restore.chunk', rows: chunk });
    result.restored += r.restored;
    result.skipped += r.skipped;
    result.rejected += r.rejected;
    onProgress(result.restored + result.skipped + result.rejected, count);
    chunk = [];
    chars = 0;
  };
  for (const row of all) {
    // A v2 row's bytes are in `data`, a v1 row's (records only) in its own fields: count every string.
    const fields: unknown[] = row && typeof row === 'object' ? Object.values('data' in row ? row.data : row) : [];
    const size = fields.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 0), 0);
    if (chunk.length && (chunk.length >= RecordLimits.pageRecords || chars + size > RecordLimits.chunkChars)) await flush();
    chunk.push(row);
    chars += size;
  }
  if (chunk.length) await flush();
  await ask({ type: 'records.restore.finish' });
  return result;
}
