import { vaultDb } from './db';

/**
 * When the last backup was made and how many records it held: not clinical, kept in clear so the
 * reminder works even before the index is decrypted. The vault lives in this browser profile only.
 */
interface LastBackup {
  at: number;
  /** Records in it (what the reminder compares with). */
  count: number;
  /** Rows per vault data kind (since backup format v2). */
  kinds?: Record<string, number>;
}

export async function backupStatus(total: number): Promise<{ lastAt?: number; due: boolean }> {
  const last = (await vaultDb().meta.get('lastBackup'))?.value as LastBackup | undefined;
  return { lastAt: last?.at, due: total > 0 && (!last || last.count < total) };
}

/** After the last page of a backup was written: how many rows of each kind it holds. */
export async function noteBackup(rowsByKind: Record<string, number>): Promise<void> {
  const value: LastBackup = { at: Date.now(), count: rowsByKind.records ?? 0, kinds: rowsByKind };
  await vaultDb().meta.put({ key: 'lastBackup', value });
}
