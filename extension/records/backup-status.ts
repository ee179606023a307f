import { vaultDb } from './db';

/**
 * When the last backup was made and how many records it held: not clinical, kept in clear so the
 * reminder works even before the index is decrypted. The vault lives in this browser profile only.
 */
interface LastBackup {
  at: number;
  count: number;
}

export async function backupStatus(total: number): Promise<{ lastAt?: number; due: boolean }> {
  const last = (await vaultDb().meta.get('lastBackup'))?.value as LastBackup | undefined;
  return { lastAt: last?.at, due: total > 0 && (!last || last.count < total) };
}

export async function noteBackup(count: number): Promise<void> {
  await vaultDb().meta.put({ key: 'lastBackup', value: { at: Date.now(), count } satisfies LastBackup });
}
