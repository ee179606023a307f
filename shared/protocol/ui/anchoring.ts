import { z } from 'zod';

/**
 * Tamper evidence (extension/anchoring/, procedures/anchoring.ts): the anchoring state, Verify for one
 * record or a page of them, and the exported record + proof file (shared/anchoring/proof-file.ts).
 */
const RecordId = z.string().min(1).max(200);

export const anchoringRequests = [
  /** Anchored / waiting counts, why records wait, the last batch, batches the vault is missing. */
  z.strictObject({ type: z.literal('anchoring.status') }),
  /** Look for records to anchor now (re-reads the records table) and move the waiting batch on. */
  z.strictObject({ type: z.literal('anchoring.run') }),
  /** Verify one record: leaf from the stored ciphertext, proof checked by the chain. */
  z.strictObject({ type: z.literal('anchoring.verify'), id: RecordId }),
  /** Verify all, one page at a time (the page shows progress): records in id order from `offset`. */
  z.strictObject({ type: z.literal('anchoring.verifyAll'), offset: z.number().int().nonnegative(), limit: z.number().int().min(1).max(1000) }),
  /** The record + proof file; with `includeContent`, the record's own key and its FHIR resource too. */
  z.strictObject({ type: z.literal('anchoring.export'), id: RecordId, includeContent: z.boolean() }),
] as const;

/**
 * unchanged: the stored bytes are the ones anchored (by this vault's anchoring account) at blockTime.
 * changed: this record id and version were anchored with other bytes (re-sealed after anchoring).
 * rolled_back: a newer version of this record was anchored than the one held (an older copy came back).
 * not_on_chain: the vault remembers anchoring it, but the chain does not confirm it.
 * waiting: in the batch on its way to the chain; not_anchored: not in a batch yet.
 * changed_before_anchor: the ciphertext no longer matches its own hash (damaged) while waiting.
 */
export type RecordVerdict =
  | { state: 'unchanged'; blockTime: number; blockNumber: number; txHash?: string }
  | { state: 'changed' | 'not_on_chain'; blockTime?: number; blockNumber?: number }
  | { state: 'rolled_back'; version: number; anchoredVersion: number; blockTime?: number; blockNumber?: number }
  | { state: 'waiting' | 'not_anchored' | 'changed_before_anchor' };

/** An Anchored event of the vault's account that no batch in this vault knows. */
export interface MissingBatch {
  blockNumber: number;
  blockTime: number;
  /** The padded count the chain was told. */
  count: number;
}

export interface AnchoringStatus {
  /** The vault's anchoring account (its only use is anchoring). */
  account: string;
  /** Record versions held here that the chain has anchored (as the vault's batches say). */
  anchored: number;
  /** Records not anchored yet: in the batch on its way, or not batched yet. */
  waiting: number;
  /** Why they wait, in words (chain unreachable, relayer down…), when something holds them up. */
  reason?: string;
  /** The latest anchored batch: block time (unix seconds) and block. */
  lastBatch?: { blockTime: number; blockNumber?: number; count: number };
  /** Anchored batches the chain has and this vault does not: it is an older copy (or another device's). */
  missing?: MissingBatch[];
  /** The chain could not be asked (missing batches unknown). */
  chainMessage?: string;
}

/** A record an anchored batch of this vault names that the vault no longer holds. */
export interface GoneRecord {
  id: string;
  /** Its title, when the local search index still has it. */
  title?: string;
  /** The newest version anchored, and when. */
  version: number;
  blockTime?: number;
  blockNumber?: number;
}

export interface VerifyAllPage {
  /** Records in the vault (the page's progress denominator). */
  total: number;
  /** Records checked in this page. */
  checked: number;
  /** Records of this page whose verdict is not `unchanged`, with their list titles. */
  problems: Array<{ id: string; title: string; verdict: RecordVerdict }>;
  /** Per state, counts in this page. */
  counts: Partial<Record<RecordVerdict['state'], number>>;
  /** On the last page only: batches the chain has that this vault does not. */
  missing?: MissingBatch[];
  /** On the last page only: anchored records no longer in the vault (`records` lists the first 50). */
  gone?: { count: number; records: GoneRecord[] };
  done: boolean;
}

export interface AnchoringReplies {
  'anchoring.status': AnchoringStatus;
  'anchoring.run': AnchoringStatus;
  'anchoring.verify': RecordVerdict;
  'anchoring.verifyAll': VerifyAllPage;
  'anchoring.export': { fileName: string; text: string };
}
