import { browser } from 'wxt/browser';
import { deriveReplicaKeys, type ReplicaKeys } from '../../shared/crypto/replica-keys';
import type { ReplicaNodeView, ReplicasStatus } from '../../shared/protocol/ui/replicas';
import type { StorageNode } from '../../shared/settings/schema';
import { unlocked } from '../keys/unlocked';
import { logError } from '../logging/log';
import { readSettings } from '../settings/store';
import { ipnsName } from './cid';
import { NodeSet } from './fetch';
import { openManifest } from './format';
import { createIpnsRecord, verifyIpnsRecord, type IpnsHead } from './ipns';
import { networkRestoreRunning } from './restore';
import { getIpnsRecord } from './node-client';
import { pushToNode, type NodeCheck } from './push';
import { buildSnapshot, readPublishedHead, readRestoredSequence, saveLayout, savePublishedHead } from './snapshot';
import { readStored, STATUS_KEY, type StoredStatus } from './status-store';

/**
 * Replication and health, one pass for every configured node: build the snapshot (cheap: unchanged rows
 * give the same blocks), publish a new head when the rows changed, then push to and check each node.
 * What each node showed is kept in storage.local (URLs, states and times: nothing about the vault's
 * content) for the vault page and the popup.
 */
let running: Promise<ReplicasStatus> | undefined;


const sentence: Record<ReplicaNodeView['state'], string> = {
  current: 'Holds the latest version.',
  behind: 'Holds an older version; it will be brought up to date.',
  unreachable: 'Not reachable.',
  damaged: 'Served damaged data; bypassed on restores, and its damaged parts are replaced at each check.',
  refused: 'Refused the upload (check its address and credential).',
  unchecked: 'Not checked yet.',
};

function view(nodes: readonly StorageNode[], stored: StoredStatus): ReplicasStatus {
  const views = nodes.map<ReplicaNodeView>((node) => {
    const s = stored.nodes[node.url];
    const state = !s ? 'unchecked' : s.state === 'current' && s.holds !== stored.latest?.manifest ? 'behind' : s.state;
    return { url: node.url, state, currentSince: s?.currentSince, unreachableSince: s?.unreachableSince, lastCheckedAt: s?.lastCheckedAt, refilled: s?.refilled, message: sentence[state] };
  });
  return {
    nodes: views,
    current: views.filter((v) => v.state === 'current').length,
    total: views.length,
    latest: stored.latest && { createdAt: stored.latest.createdAt, rows: stored.latest.rows },
    running: running !== undefined,
  };
}

export async function replicaStatus(): Promise<ReplicasStatus> {
  const [settings, stored] = await Promise.all([readSettings(), readStored()]);
  const status = view(settings.storageNodes, stored);
  if (stored.behindNetwork) status.note = 'The storage nodes hold a newer copy with records this browser does not have. Restore from the network first: until then this browser does not replace that copy.';
  else if (!stored.latest) status.note = (await unlocked()) ? 'No copy on the network yet.' : 'Unlock your vault to update the copies.';
  return status;
}

/**
 * One replication + health pass. While one runs, the caller gets the pass after it: a change may have
 * landed after the running pass read the vault (an import still writing). Locked: the status as it is.
 */
export function replicateNow(): Promise<ReplicasStatus> {
  if (running) return running.then(() => replicateNow());
  running = (async () => {
    try {
      await replicate();
    } catch (error) {
      logError('replicas', 'replication pass failed', error);
    } finally {
      running = undefined;
    }
    return replicaStatus();
  })();
  return running;
}

async function replicate(): Promise<void> {
  const state = await unlocked();
  if (!state) return;
  const { storageNodes } = await readSettings();
  if (storageNodes.length === 0) return;
  const keys = deriveReplicaKeys(state.seed);
  const name = ipnsName(keys.ipnsPublic);
  // A cheap probe first (each node's copy of the head): with no node answering, the vault is not re-read
  // and re-sealed for nothing (a laptop offline, or no nodes running).
  const probes = await Promise.all(storageNodes.map((node) => getIpnsRecord(node, name).then((record) => ({ record }), () => undefined)));
  if (!probes.some(Boolean)) {
    const previous = await readPublishedHead();
    const stored = await readStored();
    await recordChecks(storageNodes.map((node) => ({ url: node.url, state: 'unreachable', missing: 0, uploaded: 0 })), stored.latest ?? (previous && { manifest: previous.manifest.cid, createdAt: previous.createdAt, rows: previous.rows }));
    return;
  }
  if (networkRestoreRunning()) return; // a half-restored vault must never become the head
  const snapshot = await buildSnapshot(keys);
  const previous = await readPublishedHead();
  const networkHead = probes.reduce<IpnsHead | undefined>((best, p) => {
    const head = p?.record && verifyIpnsRecord(p.record, keys.ipnsPublic);
    return head && (!best || head.sequence > best.sequence) ? head : best;
  }, undefined);
  // Never replace a head this browser did not publish with one that lacks some of its rows: a fresh
  // profile that skipped "Restore from the network" (or an older device) would otherwise hide the copy.
  // This browser holds every row of a head it published, or restored in full from the network.
  const known = previous ? BigInt(previous.sequence) : await readRestoredSequence();
  if (!snapshot.reused && networkHead && !(known !== undefined && known >= networkHead.sequence)) {
    if (!(await holdsEveryRow(keys, storageNodes, networkHead, snapshot.rowDigests))) {
      await noteBehind();
      return;
    }
  }
  // A head's sequence only grows: the time in ms, or one more than the last when the clock went back.
  const sequence = snapshot.reused && previous ? BigInt(previous.sequence) : BigInt(Math.max(Date.now(), Number(previous?.sequence ?? 0) + 1));
  const record = createIpnsRecord(keys.ipnsPrivate, `/ipfs/${snapshot.manifest.cid}`, sequence);
  if (!snapshot.reused) {
    await savePublishedHead({ fingerprint: snapshot.fingerprint, manifest: snapshot.manifest, kindManifests: snapshot.kindManifests, rows: snapshot.rows, createdAt: snapshot.createdAt, sequence: String(sequence) });
  }
  const head = { name, record };
  const suspects = (await readStored()).nodes;
  const checks = await Promise.all(storageNodes.map((node) => pushToNode(node, snapshot, head, { verifyAll: suspects[node.url]?.state === 'damaged' })));
  // The layout is kept once a node holds it: the next snapshot reuses these packs.
  if (checks.some((c) => c.state === 'current')) await saveLayout(snapshot.layout);
  await recordChecks(checks, { manifest: snapshot.manifest.cid, createdAt: snapshot.createdAt, rows: snapshot.rows });
}

/** Rows compare by digest (format v2); a v1 head (rows named by block CIDs) cannot be compared: restore first. */
async function holdsEveryRow(keys: ReplicaKeys, nodes: readonly StorageNode[], head: IpnsHead, rowDigests: readonly string[]): Promise<boolean> {
  try {
    const manifest = await openManifest(keys, await new NodeSet(nodes).block(head.value.replace(/^\/ipfs\//, '')));
    if (manifest.v !== 2) return false;
    const have = new Set(rowDigests);
    return manifest.packs.every((pack) => pack.rows.every((digest) => have.has(digest)));
  } catch (error) {
    logError('replicas', 'the network copy could not be read to compare (left as it is)', error);
    return false; // unreadable: do not overwrite what we cannot check
  }
}

async function noteBehind(): Promise<void> {
  const stored = await readStored();
  stored.behindNetwork = true;
  await browser.storage.local.set({ [STATUS_KEY]: stored });
}

async function recordChecks(checks: NodeCheck[], latest: StoredStatus['latest']): Promise<void> {
  const stored = await readStored();
  const now = new Date().toISOString();
  for (const check of checks) {
    const before = stored.nodes[check.url];
    const current = check.state === 'current';
    stored.nodes[check.url] = {
      state: check.state,
      lastCheckedAt: now,
      refilled: check.uploaded + (check.repaired ?? 0),
      holds: current ? latest?.manifest : before?.holds,
      currentSince: current ? (before?.state === 'current' && before.holds === latest?.manifest ? before.currentSince : now) : before?.currentSince,
      unreachableSince: check.state === 'unreachable' ? (before?.unreachableSince ?? now) : undefined,
      message: check.message,
    };
  }
  stored.latest = latest;
  stored.behindNetwork = false;
  await browser.storage.local.set({ [STATUS_KEY]: stored });
}

/** After an erase: the next vault starts with no status. */
export async function forgetReplicaStatus(): Promise<void> {
  await browser.storage.local.remove(STATUS_KEY);
}
