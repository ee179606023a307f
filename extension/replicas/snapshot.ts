import { toBase64 } from '../../shared/crypto/bytes';
import type { ReplicaKeys } from '../../shared/crypto/replica-keys';
import { vaultDb } from '../records/db';
import { recordKeys } from '../records/vault-keys';
import type { AnyVaultDataKind, BackupContext } from '../vault-data/kind';
import { VAULT_DATA } from '../vault-data/registry';
import { rowsFingerprint, sealKindManifestBlock, sealManifest, sealRowBlock, type ReplicaBlock } from './format';

/**
 * The vault as replica blocks, read through the vault-data registry exactly like the backup file: every
 * kind whose entry says `backup.include`, its rows in their canonical backup form (`save`) and its
 * manifest. Search indexes and other rebuilt data are left out because the registry leaves them out.
 * Deterministic row blocks make this cheap to recompute on every run: a stopped worker loses nothing.
 */
export interface Snapshot {
  /** Everything a node must hold: row blocks, kind manifest blocks, and the manifest last. */
  blocks: ReplicaBlock[];
  manifest: ReplicaBlock;
  rows: number;
  fingerprint: string;
  createdAt: string;
}

/** The last manifest we published, kept (encrypted) in the vault's meta table to reuse while nothing changed. */
export interface PublishedHead {
  fingerprint: string;
  manifest: ReplicaBlock;
  kindManifests: ReplicaBlock[];
  rows: number;
  createdAt: string;
  sequence: string;
}
const HEAD_KEY = 'replicaHead';

export async function readPublishedHead(): Promise<PublishedHead | undefined> {
  return (await vaultDb().table('meta').get(HEAD_KEY))?.value as PublishedHead | undefined;
}

export async function savePublishedHead(head: PublishedHead): Promise<void> {
  await vaultDb().table('meta').put({ key: HEAD_KEY, value: head });
}

const replicated = (): AnyVaultDataKind[] => VAULT_DATA.filter((k) => k.database === 'vault' && k.backup.include);

export async function buildSnapshot(keys: ReplicaKeys): Promise<Snapshot & { kindManifests: ReplicaBlock[]; rowCids: string[]; reused: boolean }> {
  const ctx: BackupContext = { keys: await recordKeys(), db: vaultDb() };
  const rowBlocks: ReplicaBlock[] = [];
  const kinds: Record<string, number> = {};
  for (const kind of replicated()) {
    if (!kind.backup.include) continue;
    const stored = await ctx.db.table(kind.table).orderBy(':id').toArray();
    kinds[kind.name] = stored.length;
    for (const row of stored) rowBlocks.push(await sealRowBlock(keys, { kind: kind.name, data: await kind.backup.save(ctx, row) }));
  }
  const rowCids = rowBlocks.map((b) => b.cid);
  const fingerprint = rowsFingerprint(rowCids);
  const previous = await readPublishedHead();
  if (previous?.fingerprint === fingerprint) {
    return { blocks: [...rowBlocks, ...previous.kindManifests, previous.manifest], manifest: previous.manifest, kindManifests: previous.kindManifests, rows: rowBlocks.length, rowCids, fingerprint, createdAt: previous.createdAt, reused: true };
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
  const manifest = await sealManifest(keys, { format: 'securemed-replica', v: 1, createdAt, patient: ctx.keys.patient, kinds, kindManifests: kindManifestCids, rows: rowCids });
  return { blocks: [...rowBlocks, ...kindManifests, manifest], manifest, kindManifests, rows: rowBlocks.length, rowCids, fingerprint, createdAt, reused: false };
}
