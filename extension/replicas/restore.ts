import { deriveReplicaKeys, type ReplicaKeys } from '../../shared/crypto/replica-keys';
import type { NetworkRestoreStart, NetworkRestoreStep } from '../../shared/protocol/ui/replicas';
import type { BackupHeader } from '../../shared/protocol/ui/records';
import { UiError } from '../../shared/protocol/ui-errors';
import type { StorageNode } from '../../shared/settings/schema';
import { unlocked } from '../keys/unlocked';
import { readSettings } from '../settings/store';
import { beginRestore, finishRestore, restoreChunk } from '../vault-data/backup';
import { NodeSet, mapLimit } from './fetch';
import { openKindManifestBlock, openManifest, openRowBlock, type ReplicaManifest } from './format';
import { NodeError } from './node-client';

/**
 * "Restore from the network" in a fresh profile, after the vault was restored from the phrase: the head,
 * the manifest and then the rows, page by page, go through the backup's own restore (vault-data/backup.ts
 * begin → chunk* → finish), so a replica restores exactly what a backup file would, with the same checks
 * (every row must open under this vault's keys). The page drives the pages and shows progress.
 */
const PAGE = 200;
const PARALLEL = 12;

let session: { manifest: ReplicaManifest; nodes: NodeSet; keys: ReplicaKeys } | undefined;

async function keys(): Promise<ReplicaKeys> {
  const state = await unlocked();
  if (!state) throw new UiError('locked', 'Unlock your vault first.');
  return deriveReplicaKeys(state.seed);
}

const unavailable = (error: unknown): never => {
  if (error instanceof NodeError) throw new UiError('unavailable', error.message);
  throw error;
};

/** While a restore from the network runs, replication waits (a half-restored vault is no head). */
export function networkRestoreRunning(): boolean {
  return session !== undefined;
}

export async function beginNetworkRestore(custom?: StorageNode[]): Promise<NetworkRestoreStart> {
  const replicaKeys = await keys();
  const nodes = new NodeSet(custom ?? (await readSettings()).storageNodes);
  const head = await nodes.head(replicaKeys);
  if (!head) {
    session = undefined;
    if (nodes.unreachable.size === nodes.nodes.length) throw new UiError('unavailable', 'None of the storage nodes answered. Check the addresses, or try again later.');
    return { total: 0, answered: 0 };
  }
  const cid = head.value.replace(/^\/ipfs\//, '');
  const manifest = await openManifest(replicaKeys, await nodes.block(cid).catch(unavailable)).catch((error: unknown) => {
    if (error instanceof UiError) throw error;
    throw new UiError('invalid', 'The copy on the network could not be opened with this recovery phrase.');
  });
  const manifests: Record<string, string> = {};
  for (const [kind, blockCid] of Object.entries(manifest.kindManifests)) {
    const opened = await openKindManifestBlock(replicaKeys, await nodes.block(blockCid).catch(unavailable));
    if (opened.kind !== kind) throw new UiError('invalid', 'The copy on the network is inconsistent.');
    manifests[kind] = opened.blob;
  }
  const header: BackupHeader = { format: 'securemed-backup', v: 2, createdAt: manifest.createdAt, patient: manifest.patient, count: manifest.rows.length, kinds: manifest.kinds, manifests };
  await beginRestore(header);
  session = { manifest, nodes, keys: replicaKeys };
  return { total: manifest.rows.length, createdAt: manifest.createdAt, answered: nodes.nodes.length - nodes.unreachable.size };
}

export async function nextNetworkRestore(offset: number): Promise<NetworkRestoreStep> {
  if (!session) throw new UiError('not_found', 'Start the restore from the network again.');
  const { manifest, nodes, keys: replicaKeys } = session;
  const cids = manifest.rows.slice(offset, offset + PAGE);
  const rows = await mapLimit(cids, PARALLEL, async (cid) => openRowBlock(replicaKeys, await nodes.block(cid).catch(unavailable)));
  const counts = rows.length ? await restoreChunk(rows) : { restored: 0, skipped: 0, rejected: 0 };
  const next = offset + cids.length;
  const done = next >= manifest.rows.length;
  if (done) {
    await finishRestore();
    session = undefined;
  }
  return { next, done, ...counts, damagedNodes: [...nodes.damaged] };
}
