import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, toBase64, toHex, utf8 } from '../../shared/crypto/bytes';
import type { BackupHeader, BackupKindRow, BackupRow } from '../../shared/protocol/ui/records';
import { UiError } from '../../shared/protocol/ui-errors';
import { noteBackup } from '../records/backup-status';
import { vaultDb } from '../records/db';
import { recordKeys } from '../records/vault-keys';
import type { AnyVaultDataKind, BackupContext, BackupData, RestorePlan } from './kind';
import { VAULT_DATA } from './registry';
import { clearRestoreMeasures, measureRestore } from '../replicas/restore-timing';

/**
 * The encrypted backup, generic over the registry: every kind whose entry says `backup.include` goes into
 * the file, in registry order, with no wiring here (README.md "Backup format"). Format v2:
 * { format: 'securemed-backup', v: 2, createdAt, owner, count, kinds: {name: rows}, manifests: {name:
 * base64}, rows: [{kind, data}] }. Version 1 files (records only, { …, index, rows: [record row] }) still
 * restore: their `index` is the records manifest and each row a 'records' row.
 */
const PENDING = 'pendingRestore';

interface RestoreCounts {
  restored: number;
  skipped: number;
  rejected: number;
}

interface PendingRestore {
  manifests: Record<string, Uint8Array>;
}

/**
 * The header says which vault made the file without a messaging address in clear (issue 16): HMAC of a
 * fixed label under the vault's de-dup key. Files from before it carry `patient` (the main messaging
 * address) and are still checked that way.
 */
function ownerTag(keys: { dedup: Uint8Array }): string {
  return toHex(hmac(sha256, keys.dedup, utf8('SecureMed v1 backup owner')));
}

const backedUp = (): AnyVaultDataKind[] => VAULT_DATA.filter((k) => k.database === 'vault' && k.backup.include);

function handlerOf(kind: AnyVaultDataKind) {
  if (!kind.backup.include) throw new TypeError(`${kind.name} is not backed up`);
  return kind.backup;
}

async function context(): Promise<BackupContext> {
  return { keys: await recordKeys(), db: vaultDb() }; // recordKeys throws 'Unlock your vault first.' when locked
}

/** One page of the file: rows `offset`…`offset + limit` across the backed-up kinds; the header with the first. */
export async function backupPage(offset: number, limit: number): Promise<{ header?: BackupHeader; rows: BackupKindRow[]; total: number }> {
  const ctx = await context();
  const kinds = backedUp();
  const counts = await Promise.all(kinds.map((k) => ctx.db.table(k.table).count()));
  const total = counts.reduce((a, b) => a + b, 0);
  let header: BackupHeader | undefined;
  if (offset === 0) {
    const manifests: Record<string, string> = {};
    for (const kind of kinds) {
      const manifest = handlerOf(kind).manifest;
      if (manifest) manifests[kind.name] = toBase64(await manifest.save(ctx));
    }
    const perKind = Object.fromEntries(kinds.map((k, i) => [k.name, counts[i]!]));
    header = { format: 'securemed-backup', v: 2, createdAt: new Date().toISOString(), owner: ownerTag(ctx.keys), count: total, kinds: perKind, manifests };
  }
  const rows: BackupKindRow[] = [];
  let skip = offset;
  for (const [i, kind] of kinds.entries()) {
    if (rows.length >= limit) break;
    if (skip >= counts[i]!) {
      skip -= counts[i]!;
      continue;
    }
    const stored = await ctx.db.table(kind.table).orderBy(':id').offset(skip).limit(limit - rows.length).toArray();
    const save = handlerOf(kind).save;
    rows.push(...(await Promise.all(stored.map(async (row) => ({ kind: kind.name, data: await save(ctx, row) })))));
    skip = 0;
  }
  if (offset + rows.length >= total) await noteBackup(Object.fromEntries(kinds.map((k, i) => [k.name, counts[i]!])));
  return { header, rows, total };
}

// ---- restore: begin (check the header, keep its manifests) → chunk* → finish ----

export async function beginRestore(header: BackupHeader): Promise<{ count: number }> {
  clearRestoreMeasures(); // the previous restore's timings (scripts/bench/replicas.ts reads this one's)
  const ctx = await context();
  const ours = header.v === 2 && header.owner !== undefined ? header.owner === ownerTag(ctx.keys) : header.patient === ctx.keys.patient;
  if (!ours) {
    throw new UiError('invalid', 'This backup belongs to a different vault. Restore it with the recovery phrase it was made with.');
  }
  const encoded = header.v === 1 ? { records: header.index } : header.manifests;
  const manifests: Record<string, Uint8Array> = {};
  let listed = 0;
  for (const [name, base64] of Object.entries(encoded)) {
    const manifest = backedUp().find((k) => k.name === name)?.backup;
    if (!manifest?.include || !manifest.manifest) throw new UiError('invalid', 'This backup was made by a newer version of SecureMed: update it, then restore.');
    try {
      manifests[name] = fromBase64(base64);
      listed += await manifest.manifest.open(ctx, manifests[name]);
    } catch {
      throw new UiError('invalid', "This backup file is damaged or was changed, so it can't be restored.");
    }
  }
  await ctx.db.table('meta').put({ key: PENDING, value: { manifests } satisfies PendingRestore });
  return { count: header.v === 1 ? listed : header.count };
}

async function pending(ctx: BackupContext): Promise<PendingRestore> {
  const value = (await ctx.db.table('meta').get(PENDING))?.value as PendingRestore | Uint8Array | undefined;
  if (!value) throw new UiError('not_found', 'Choose the backup file again to restore it.');
  // A restore begun before format v2 kept the records index itself.
  return value instanceof Uint8Array ? { manifests: { records: value } } : value;
}

/** Store the rows each kind vouches for; idempotent, so a re-sent chunk is harmless. */
export async function restoreChunk(fileRows: BackupRow[]): Promise<RestoreCounts> {
  const ctx = await context();
  const { manifests } = await pending(ctx);
  const byKind = new Map<string, BackupData[]>();
  for (const row of fileRows) {
    const [kind, data] = 'kind' in row ? [row.kind, row.data] : ['records', row]; // a v1 row is a record
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push(data);
  }
  const result: RestoreCounts = { restored: 0, skipped: 0, rejected: 0 };
  const plans: Array<{ kind: AnyVaultDataKind; plan: RestorePlan<unknown> }> = [];
  for (const kind of backedUp()) {
    const data = byKind.get(kind.name);
    if (!data) continue;
    byKind.delete(kind.name);
    const planned = performance.now();
    plans.push({ kind, plan: await handlerOf(kind).restore({ ...ctx, manifest: manifests[kind.name] }, data) });
    measureRestore(`plan.${kind.name}`, planned);
  }
  for (const data of byKind.values()) result.rejected += data.length; // kinds this version does not restore
  const tables = new Set(plans.flatMap(({ kind, plan }) => [kind.table, ...(plan.alsoWrite?.tables ?? [])]));
  // Crypto happened above; the transaction does database work only (it would auto-commit on a foreign await).
  const written = performance.now();
  await ctx.db.transaction('rw', [...tables], async () => {
    for (const { kind, plan } of plans) {
      if (plan.rows.length) await ctx.db.table(kind.table).bulkAdd(plan.rows);
      await plan.alsoWrite?.write();
    }
  });
  measureRestore('write', written);
  const after = performance.now();
  for (const { plan } of plans) {
    plan.afterCommit?.();
    result.restored += plan.rows.length;
    result.skipped += plan.skipped;
    result.rejected += plan.rejected;
  }
  measureRestore('afterCommit', after);
  return result;
}

/** Forget the pending restore and let each kind tidy up (records: merge the index chunks it appended). */
export async function finishRestore(): Promise<{ total: number }> {
  const ctx = await context();
  await ctx.db.table('meta').delete(PENDING);
  let total = 0;
  for (const kind of backedUp()) {
    await handlerOf(kind).finish?.(ctx);
    total += await ctx.db.table(kind.table).count();
  }
  return { total };
}
