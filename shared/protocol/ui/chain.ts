import { z } from 'zod';

/**
 * The patient's signed actions on chain (extension/tx-queue/, extension/chain/, procedures/chain.ts).
 * Pages see the queue's state in words; the signed payloads and keys stay in the background.
 */
export const chainRequests = [
  /** Every action in the transaction queue, newest first. */
  z.strictObject({ type: z.literal('chain.queue') }),
  /** Queue a gasless setEncryptionKeyBySig of the patient's X25519 public key (identity account). */
  z.strictObject({ type: z.literal('chain.publishKey') }),
  /** Is the patient's encryption key on the network: the chain's answer and the queue's, combined. */
  z.strictObject({ type: z.literal('chain.keyStatus') }),
  /** Try a failed action again (signed afresh against the chain's current state). */
  z.strictObject({ type: z.literal('chain.retry'), id: z.string().uuid() }),
] as const;

/**
 * pending: not accepted by a relayer yet (waiting to be signed, or to retry: `reason` says why);
 * submitted: a relayer accepted it (`requestId`), waiting for the block; confirmed: mined (`txHash`,
 * `blockNumber`), checked against the chain; failed: will not go through as it is (`reason` in words).
 */
export type ChainActionState = 'pending' | 'submitted' | 'confirmed' | 'failed';
/** Every kind of signed action the queue knows (extension/tx-queue/kinds.ts has one entry each). */
export const CHAIN_ACTION_KINDS = ['publishKey', 'grant', 'revoke', 'anchor'] as const;
export type ChainActionKind = (typeof CHAIN_ACTION_KINDS)[number];

export interface ChainActionView {
  id: string;
  kind: ChainActionKind;
  /** What the action does, for people: "Publish your encryption key". */
  title: string;
  state: ChainActionState;
  requestId?: string;
  txHash?: string;
  blockNumber?: number;
  /** pending/submitted: what it waits for; failed: why, in words. */
  reason?: string;
  attempts: number;
  /** When the queue tries again (local clock, ms), while pending or submitted. */
  nextAttemptAt?: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * The settings page's "Your encryption key on the network": `state` is decided in the background from
 * the chain (when it answers) and the latest publishKey action.
 */
export type KeyPublicationState = 'not_published' | 'publishing' | 'published' | 'failed' | 'unknown';

export interface KeyPublicationView {
  state: KeyPublicationState;
  /** The account the key is published for (the patient's identity/messaging account). */
  account: string;
  /** The X25519 public key, 0x + 64 hex. */
  publicKey: string;
  /** The latest publishKey action, if any. */
  action?: ChainActionView;
  /** What the chain said, in words, when it could not be asked (state unknown) or disagrees. */
  chainMessage?: string;
}

export interface ChainReplies {
  'chain.queue': { actions: ChainActionView[] };
  'chain.publishKey': { action: ChainActionView };
  'chain.keyStatus': KeyPublicationView;
  'chain.retry': { action: ChainActionView };
}
