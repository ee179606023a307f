import { toBase64 } from '../../shared/crypto/bytes';
import type { ReplicaKeys } from '../../shared/crypto/replica-keys';
import { vaultDb } from '../records/db';
import { recordKeys } from '../records/vault-keys';
import type { AnyVaultDataKind, BackupContext } from '../vault-data/kind';
import { VAULT_DATA } from '../vault-data/registry';
import { canonicalRow, rowsFingerprint, sealKindManifestBlock, sealManifest, sealPack, type CanonicalRow, type PackEntry, type ReplicaBlock } from './format';
import { packWithLayout } from './pack';
import { stableRecordWrap } from './stable-wrap';

/**
 * The vault as replica blocks (format v2, format.ts), read through the vault-data registry exactly like
 * the backup file: every kind whose entry says `backup.include`, its rows in their canonical backup form
 * (`save`) and its manifest. Search indexes and other rebuilt data are left out because the registry
 * leaves them out. Rows and packs are deterministic, so this is cheap to recompute on every run and a
 * stopped worker loses nothing: whatever a node lacks is uploaded by the next pass.
 */
export interface Snapshot {
  /** Everything a node must hold: pack parts, kind manifest blocks, and the manifest last. */
  blocks: ReplicaBlock[];
  manifest: ReplicaBlock;
  kindManifests: ReplicaBlock[];
  rows: number;
  /** Every row's digest, in order: what "does the network copy hold a row we lack" compares. */
  rowDigests: string[];
  /** Each pack's row digests: saved once uploaded, the next snapshot keeps these packs (pack.ts). */
  layout: string[][];
  fingerprint: string;
  createdAt: string;
  /** The manifest is the one published last (the rows did not change since). */
  reused: boolean;
}

/** The last manifest we published, kept in the vault's meta table to reuse while nothing changed. */
export interface PublishedHead {
  fingerprint: string;
  manifest: ReplicaBlock;
  kindManifests: ReplicaBlock[];
  rows: number;
  createdAt: string;
  sequence: string;
}
const HEAD_KEY = 'replicaHead';
/** The pack layout (row digests per pack) last uploaded, or restored from the network. */
const LAYOUT_KEY = 'replicaLayout';
/** Rows saved at once (each save is a few WebCrypto calls; in parallel they overlap). */
const SAVE_CHUNK = 500;

export async function readPublishedHead(): Promise<PublishedHead | undefined> {
  return (await vaultDb().table('meta').get(HEAD_KEY))?.value as PublishedHead | undefined;
}

export async function savePublishedHead(head: PublishedHead): Promise<void> {
  await vaultDb().table('meta').put({ key: HEAD_KEY, value: head });
}

export async function readLayout(): Promise<string[][] | undefined> {
  return (await vaultDb().table('meta').get(LAYOUT_KEY))?.value as string[][] | undefined;
}

export async function saveLayout(layout: string[][]): Promise<void> {
  await vaultDb().table('meta').put({ key: LAYOUT_KEY, value: layout });
}

/** The sequence of the head a restore from the network brought back in full. */
const RESTORED_KEY = 'replicaRestoredSequence';

export async function readRestoredSequence(): Promise<bigint | undefined> {
  const value = (await vaultDb().table('meta').get(RESTORED_KEY))?.value as string | undefined;
  return value === undefined ? undefined : BigInt(value);
}

export async function saveRestoredSequence(sequence: bigint): Promise<void> {
  await vaultDb().table('meta').put({ key: RESTORED_KEY, value: String(sequence) });
}

const replicated = (): AnyVaultDataKind[] => VAULT_DATA.filter((k) => k.database === 'vault' && k.backup.include);

async function canonicalRowsOf(keys: ReplicaKeys, ctx: BackupContext, kind: AnyVaultDataKind): Promise<CanonicalRow[]> {
  if (!kind.backup.include) return [];
  const { save } = kind.backup;
  const stored = await ctx.db.table(kind.table).orderBy(':id').toArray();
  const out: CanonicalRow[] = [];
  for (let at = 0; at < stored.length; at += SAVE_CHUNK) {
    const datas = await Promise.all(
      stored.slice(at, at + SAVE_CHUNK).map(async (row) => {
        const data = await save(ctx, row);
        return kind.name === 'records' ? stableRecordWrap(keys, ctx.keys.dekWrap, data) : data;
      }),
    );
    for (const data of datas) out.push(canonicalRow(keys, { kind: kind.name, data }));
  }
  return out;
}

export async function buildSnapshot(keys: ReplicaKeys): Promise<Snapshot> {
  const ctx: BackupContext = { keys: await recordKeys(), db: vaultDb() };
  const rows: CanonicalRow[] = [];
  const kinds: Record<string, number> = {};
  for (const kind of replicated()) {
    const ofKind = await canonicalRowsOf(keys, ctx, kind);
    kinds[kind.name] = ofKind.length;
    for (const row of ofKind) rows.push(row);
  }
  const packs: PackEntry[] = [];
  const parts: ReplicaBlock[] = [];
  for (const pack of packWithLayout(rows, (await readLayout()) ?? [])) {
    const sealed = await sealPack(keys, pack);
    packs.push(sealed.entry);
    parts.push(...sealed.parts);
  }
  const layout = packs.map((p) => p.rows);
  const rowDigests = rows.map((r) => r.digest);
  const fingerprint = rowsFingerprint(rowDigests);
  const previous = await readPublishedHead();
  if (previous?.fingerprint === fingerprint) {
    const { manifest, kindManifests, createdAt } = previous;
    return { blocks: [...parts, ...kindManifests, manifest], manifest, kindManifests, rows: rows.length, rowDigests, layout, fingerprint, createdAt, reused: true };
  }
  const kindManifests: ReplicaBlock[] = [];
  const kindManifestCids: Record<string, string> = {};
  for (const kind of replicated()) {
    if (!kind.backup.include || !kind.backup.manifest) continue;
    const block = await sealKindManifestBlock(keys, kind.name, toBase64(await kind.backup.manifest.save(ctx)));
    kindManifests.push(block);
    kindManifestCids[kind.name] = block.cid;
  }
  const createdAt = new Date().toISOString();
  const manifest = await sealManifest(keys, { format: 'securemed-replica', v: 2, createdAt, patient: ctx.keys.patient, kinds, kindManifests: kindManifestCids, packs });
  return { blocks: [...parts, ...kindManifests, manifest], manifest, kindManifests, rows: rows.length, rowDigests, layout, fingerprint, createdAt, reused: false };
}
