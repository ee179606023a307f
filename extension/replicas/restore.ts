import { deriveReplicaKeys, type ReplicaKeys } from '../../shared/crypto/replica-keys';
import type { NetworkRestoreStart, NetworkRestoreStep } from '../../shared/protocol/ui/replicas';
import type { BackupHeader, BackupKindRow } from '../../shared/protocol/ui/records';
import { UiError } from '../../shared/protocol/ui-errors';
import type { StorageNode } from '../../shared/settings/schema';
import { unlocked } from '../keys/unlocked';
import { readSettings, writeSettings } from '../settings/store';
import { beginRestore, finishRestore, restoreChunk } from '../vault-data/backup';
import { NodeSet, mapLimit } from './fetch';
import { manifestRows, openKindManifestBlock, openManifest, openPack, openRowBlock, type ReplicaManifest } from './format';
import { NodeError } from './node-client';
import { saveLayout, saveRestoredSequence } from './snapshot';
import { noteDamagedNodes } from './status-store';
import { measureRestore, timedRestore } from './restore-timing';

/**
 * "Restore from the network" in a fresh profile, after the vault was restored from the phrase: the head,
 * the manifest and then the rows, page by page, go through the backup's own restore (vault-data/backup.ts
 * begin → chunk* → finish), so a replica restores exactly what a backup file would, with the same checks
 * (every row must open under this vault's keys). The page drives the pages and shows progress.
 *
 * A page is whole packs (format v2) of about PAGE_ROWS rows, fetched with 6 blocks in flight per answering node
 * from whichever node serves bytes matching each CID, and written in one transaction; the next page is
 * fetched while this one is written. Custom nodes the patient entered become the settings' node list
 * once they turn out to hold this vault's copy (replication then keeps that copy current). Nodes that
 * served damaged blocks are noted as damaged, so the next replication pass checks and repairs them.
 */
const PAGE_ROWS = 2500;
/** Blocks in flight per answering node: browsers open 6 HTTP/1.1 connections per host, and the nodes are separate hosts. */
const PARALLEL_PER_NODE = 6;

/** What a page fetches: one v2 pack (its parts) or one v1 row block. */
interface Unit {
  parts: string[];
  rows: number;
  open(parts: Uint8Array[]): Promise<BackupKindRow[]>;
}

interface Session {
  units: Unit[];
  /** Row offset → index of the unit starting there. */
  starts: Map<number, number>;
  total: number;
  nodes: NodeSet;
  prefetch?: { offset: number; rows: Promise<BackupKindRow[]> };
  /** The head restored: once every row is back, this browser may publish over it. */
  sequence: bigint;
  /** The copy's pack layout: kept once restored, so the first pass re-uploads nothing it holds. */
  layout?: string[][];
}
let session: Session | undefined;

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

function unitsOf(replicaKeys: ReplicaKeys, manifest: ReplicaManifest): Unit[] {
  if (manifest.v === 2) return manifest.packs.map((entry) => ({ parts: entry.parts, rows: entry.rows.length, open: (parts) => openPack(replicaKeys, entry, parts) }));
  return manifest.rows.map((cid) => ({ parts: [cid], rows: 1, open: async ([bytes]) => [await openRowBlock(replicaKeys, bytes!)] }));
}

export async function beginNetworkRestore(custom?: StorageNode[]): Promise<NetworkRestoreStart> {
  const replicaKeys = await keys();
  const nodes = new NodeSet(custom ?? (await readSettings()).storageNodes);
  session = undefined;
  const head = await nodes.head(replicaKeys);
  if (!head) {
    if (nodes.unreachable.size === nodes.nodes.length) throw new UiError('unavailable', 'None of the storage nodes answered. Check the addresses, or try again later.');
    return { total: 0, answered: nodes.nodes.length - nodes.unreachable.size };
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
  const total = manifestRows(manifest);
  const header: BackupHeader = { format: 'securemed-backup', v: 2, createdAt: manifest.createdAt, patient: manifest.patient, count: total, kinds: manifest.kinds, manifests };
  await beginRestore(header);
  // This vault's copy lives on the nodes the patient entered: they become its storage nodes.
  if (custom) await writeSettings({ ...(await readSettings()), storageNodes: custom });
  const units = unitsOf(replicaKeys, manifest);
  const starts = new Map<number, number>();
  units.reduce((offset, unit, i) => (starts.set(offset, i), offset + unit.rows), 0);
  session = { units, starts, total, nodes, sequence: head.sequence, layout: manifest.v === 2 ? manifest.packs.map((p) => p.rows) : undefined };
  // The first page is fetched while the page asks for it (as each next page is fetched while one is written).
  if (total > 0) session.prefetch = prefetched(session, 0);
  return { total, createdAt: manifest.createdAt, answered: nodes.nodes.length - nodes.unreachable.size };
}

/** The units of the page starting at row `offset` (whole units, about PAGE_ROWS rows). */
function pageAt(s: Session, offset: number): { units: Unit[]; next: number } {
  const first = s.starts.get(offset);
  if (first === undefined) throw new UiError('invalid', 'Restore from the network again: that page is not where a part of the copy starts.');
  const units: Unit[] = [];
  let next = offset;
  for (let i = first; i < s.units.length && (units.length === 0 || next - offset < PAGE_ROWS); i++) {
    units.push(s.units[i]!);
    next += s.units[i]!.rows;
  }
  return { units, next };
}

async function fetchRows(nodes: NodeSet, units: readonly Unit[]): Promise<BackupKindRow[]> {
  const answering = Math.max(1, nodes.nodes.length - nodes.unreachable.size);
  const opened = await mapLimit(units, PARALLEL_PER_NODE * answering, async (unit) => {
    const parts = await timedRestore('fetch', () => Promise.all(unit.parts.map((cid) => nodes.block(cid).catch(unavailable))));
    return timedRestore('open', () => unit.open(parts)).catch((error: unknown) => {
      if (error instanceof UiError) throw error;
      throw new UiError('invalid', 'A part of the copy on the network could not be opened with this recovery phrase.');
    });
  });
  return opened.flat();
}

function rowsAt(s: Session, offset: number): Promise<BackupKindRow[]> {
  if (s.prefetch?.offset === offset) return s.prefetch.rows;
  return fetchRows(s.nodes, pageAt(s, offset).units);
}

function prefetched(s: Session, offset: number): Session['prefetch'] {
  const rows = fetchRows(s.nodes, pageAt(s, offset).units);
  rows.catch(() => undefined);
  return { offset, rows };
}

export async function nextNetworkRestore(offset: number): Promise<NetworkRestoreStep> {
  const s = session;
  if (!s) throw new UiError('not_found', 'Start the restore from the network again.');
  if (offset >= s.total) return finish(s, s.total, { restored: 0, skipped: 0, rejected: 0 });
  const { next } = pageAt(s, offset);
  const rows = rowsAt(s, offset);
  // Fetch the next page while this one is written; its failure surfaces when it is asked for.
  s.prefetch = next < s.total ? prefetched(s, next) : undefined;
  const waited = performance.now();
  const ready = await rows;
  measureRestore('wait', waited);
  const counts = await timedRestore('chunk', () => restoreChunk(ready));
  if (next >= s.total) return finish(s, next, counts);
  return { next, done: false, ...counts, damagedNodes: [...s.nodes.damaged] };
}

async function finish(s: Session, next: number, counts: { restored: number; skipped: number; rejected: number }): Promise<NetworkRestoreStep> {
  await timedRestore('finish', () => finishRestore());
  session = undefined;
  await noteDamagedNodes([...s.nodes.damaged]);
  if (s.layout) await saveLayout(s.layout);
  await saveRestoredSequence(s.sequence);
  return { next, done: true, ...counts, damagedNodes: [...s.nodes.damaged] };
}
