import { z } from 'zod';
import { StorageNode } from '../../settings/schema';

/** Encrypted replicas on storage nodes (extension/replicas/, procedures/replicas.ts). */
export const replicasRequests = [
  /** What each configured node held at its last check (no network: the popup asks often). */
  z.strictObject({ type: z.literal('replicas.status') }),
  /** Upload what changed and check every node now (the schedule does the same every few minutes). */
  z.strictObject({ type: z.literal('replicas.sync') }),
  /**
   * Restore from the network into the freshly restored (unlocked, empty) vault: find the newest head on
   * the nodes — `nodes` when the patient entered their own, else the settings' — and check its manifest.
   */
  z.strictObject({ type: z.literal('replicas.restore.begin'), nodes: z.array(StorageNode).min(1).max(16).optional() }),
  /** Fetch, check and store the next rows from `offset`; repeat until `done`. */
  z.strictObject({ type: z.literal('replicas.restore.next'), offset: z.number().int().min(0).max(10_000_000) }),
] as const;

export type ReplicaNodeState = 'current' | 'behind' | 'unreachable' | 'damaged' | 'refused' | 'unchecked';

export interface ReplicaNodeView {
  url: string;
  state: ReplicaNodeState;
  /** When this node last held the latest version (ISO time). */
  currentSince?: string;
  /** When it first failed to answer, while it still does not. */
  unreachableSince?: string;
  lastCheckedAt?: string;
  /** Blocks it lacked at the last check (refilled since unless the state says otherwise). */
  refilled?: number;
  /** A sentence for the patient. */
  message: string;
}

export interface ReplicasStatus {
  nodes: ReplicaNodeView[];
  /** Nodes holding the latest version, of `total` configured. */
  current: number;
  total: number;
  /** The latest version: when it was made and how many rows it holds. */
  latest?: { createdAt: string; rows: number };
  running: boolean;
  /** Set when the vault is locked or has nothing to replicate yet. */
  note?: string;
}

export interface NetworkRestoreStart {
  /** Rows in the replica (0 and no `createdAt` when no node holds a copy of this vault). */
  total: number;
  createdAt?: string;
  /** Nodes that answered with this vault's head. */
  answered: number;
}

export interface NetworkRestoreStep {
  next: number;
  done: boolean;
  restored: number;
  skipped: number;
  rejected: number;
  /** Nodes bypassed because they served blocks that failed their hash. */
  damagedNodes: string[];
}

export interface ReplicasReplies {
  'replicas.status': ReplicasStatus;
  'replicas.sync': ReplicasStatus;
  'replicas.restore.begin': NetworkRestoreStart;
  'replicas.restore.next': NetworkRestoreStep;
}
