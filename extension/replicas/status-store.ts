import { browser } from 'wxt/browser';
import type { ReplicaNodeView } from '../../shared/protocol/ui/replicas';

/**
 * What each storage node showed at its last check, in storage.local (URLs, states and times: nothing
 * about the vault's content), for the vault page, the popup and the next pass (a node last seen
 * 'damaged' is checked block by block).
 */
export const STATUS_KEY = 'replicaNodes';

export interface StoredNode {
  state: ReplicaNodeView['state'];
  currentSince?: string;
  unreachableSince?: string;
  lastCheckedAt?: string;
  refilled?: number;
  message?: string;
  /** The manifest CID this node was last confirmed to hold. */
  holds?: string;
}
export interface StoredStatus {
  nodes: Record<string, StoredNode>;
  latest?: { manifest: string; createdAt: string; rows: number };
  /** The network holds a newer copy with rows this browser lacks: nothing is published until restored. */
  behindNetwork?: boolean;
}

export async function readStored(): Promise<StoredStatus> {
  return ((await browser.storage.local.get(STATUS_KEY))[STATUS_KEY] as StoredStatus | undefined) ?? { nodes: {} };
}

/** A restore bypassed these nodes (they served blocks failing their hash): the next pass checks and repairs them. */
export async function noteDamagedNodes(urls: readonly string[]): Promise<void> {
  if (!urls.length) return;
  const stored = await readStored();
  const now = new Date().toISOString();
  for (const url of urls) stored.nodes[url] = { ...stored.nodes[url], state: 'damaged', lastCheckedAt: now };
  await browser.storage.local.set({ [STATUS_KEY]: stored });
}
