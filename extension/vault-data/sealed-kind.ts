import { z } from 'zod';
import { openJson, sealedAad, sealJson } from '../../shared/crypto/sealed-json';
import type { RecordKeys } from '../records/vault-keys';
import { BackupBytes, toBackupData } from './backup-codec';
import type { VaultDataKind } from './kind';

/**
 * The shape most new kinds need (permissions, audit entries, proofs, tombstones…): one sealed JSON value
 * per row, under the vault's index key, its AAD bound to the kind, the row id and the vault
 * (sealedAad.vaultData), so a row moved to another id, kind or vault does not open. `sealedKind(...)`
 * gives the complete registry entry, backup included: a restored row is kept only if it opens here.
 */
export interface SealedRow {
  id: string;
  sealed: Uint8Array;
}

export function sealVaultData(keys: RecordKeys, kind: string, id: string, value: unknown): Promise<Uint8Array> {
  return sealJson(keys.searchIndex, sealedAad.vaultData(kind, id, keys.patient), value);
}

export function openVaultData<T>(keys: RecordKeys, kind: string, id: string, sealed: Uint8Array): Promise<T> {
  return openJson<T>(keys.searchIndex, sealedAad.vaultData(kind, id, keys.patient), sealed);
}

export interface SealedKindOptions {
  name: string;
  table: string;
  /** The vault database schema version that adds the table. */
  since: number;
  /** Largest sealed value kept, in bytes (bounds a restored row). */
  maxBytes?: number;
  /** Leave out of the backup, and why. */
  notBackedUp?: string;
}

export function sealedKind(opts: SealedKindOptions): VaultDataKind<SealedRow> {
  const FileRow = z.strictObject({ id: z.string().min(1).max(200), sealed: BackupBytes(opts.maxBytes ?? 1024 * 1024) });
  return {
    name: opts.name,
    database: 'vault',
    table: opts.table,
    stores: { [opts.since]: 'id' },
    sealing: `sealed JSON under vault.searchIndex, AAD sealedAad.vaultData('${opts.name}', id, patient) (vault-data/sealed-kind.ts)`,
    backup: opts.notBackedUp
      ? { include: false, why: opts.notBackedUp }
      : {
          include: true,
          save: async (_ctx, row) => toBackupData(row),
          restore: async ({ keys, db }, data) => {
            const parsed = data.map((d) => FileRow.safeParse(d));
            const valid = parsed.flatMap((p) => (p.success ? [p.data] : []));
            const existing = new Set(await db.table(opts.table).where(':id').anyOf(valid.map((r) => r.id)).primaryKeys());
            const rows: SealedRow[] = [];
            let skipped = 0;
            for (const row of valid) {
              const opens = await openVaultData(keys, opts.name, row.id, row.sealed).then(() => true, () => false);
              if (!opens) continue;
              if (existing.has(row.id)) skipped++;
              else {
                existing.add(row.id);
                rows.push(row);
              }
            }
            return { rows, skipped, rejected: data.length - rows.length - skipped };
          },
        },
  };
}
