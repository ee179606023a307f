import { z } from 'zod';
import { RELAY_FUNCTIONS } from '../../shared/chain/relayer';
import { CHAIN_ACTION_KINDS } from '../../shared/protocol/ui/chain';
import { vaultDb } from '../records/db';
import { recordKeys } from '../records/vault-keys';
import { openVaultData, sealVaultData, type SealedRow } from '../vault-data/sealed-kind';
import { logged } from '../logging/log';

/**
 * The transaction queue at rest: one sealed row per action in the vault database (registry kind
 * `txQueue`, vault-data/registry.ts), so a worker stop or a browser restart loses nothing. Rows open
 * only while the vault is unlocked, which is also when the queue can sign: a locked vault's queue
 * waits, and resumes on unlock. Every opened row is parsed again (a damaged or foreign row is skipped,
 * never trusted).
 */
export const TX_QUEUE_KIND = 'txQueue';

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const Uint = z.string().regex(/^\d{1,78}$/);

/** The signed payload exactly as the relayer takes it (shared/chain/relayer.ts RelayRequest). */
const SignedRequest = z.strictObject({
  chainId: z.number().int().positive(),
  contract: Address,
  function: z.enum(RELAY_FUNCTIONS),
  message: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  signature: z.string().regex(/^0x[0-9a-fA-F]{128,130}$/),
});

export const QueuedAction = z.strictObject({
  v: z.literal(1),
  id: z.string().uuid(),
  kind: z.enum(CHAIN_ACTION_KINDS),
  /** What the patient asked for, in the kind's own fields (kinds.ts parses it). */
  intent: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** The network it was asked on: a later network change does not send it elsewhere. */
  chainId: z.number().int().positive(),
  contract: Address,
  /**
   * Another action of this queue that must settle (confirmed or failed) before this one is sent: a
   * revoke waits for the grant it undoes, a new grant for the revoke before it, so the chain sees the
   * patient's decisions in the order they were made.
   */
  after: z.string().uuid().optional(),
  /** Random 256-bit unordered nonce, chosen once: every re-signing of this action reuses it, so at most one lands. */
  nonce: Uint,
  /** The signed payload; absent until the chain answered the reads signing needs. */
  request: SignedRequest.optional(),
  /** The signature's deadline (block time, seconds). */
  deadline: Uint.optional(),
  state: z.enum(['pending', 'submitted', 'confirmed', 'failed']),
  /** The relayer that accepted it and its request id (ids are per relayer). */
  relayerUrl: z.string().optional(),
  requestId: z.string().optional(),
  txHash: Bytes32.optional(),
  blockNumber: z.number().int().nonnegative().optional(),
  reason: z.string().max(1000).optional(),
  /** The contract's custom error when it refused the call (e.g. NonceAlreadyUsed). */
  error: z.string().max(80).optional(),
  /** Submissions tried (each POST to a relayer). */
  attempts: z.number().int().nonnegative(),
  /** Failures in a row since the last success, for the backoff. */
  failures: z.number().int().nonnegative(),
  /** Status polls since acceptance, for the poll backoff. */
  polls: z.number().int().nonnegative(),
  nextAttemptAt: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type QueuedAction = z.infer<typeof QueuedAction>;

function table() {
  return vaultDb().table<SealedRow, string>(TX_QUEUE_KIND);
}

export async function saveAction(action: QueuedAction): Promise<void> {
  const value = QueuedAction.parse(action);
  const keys = await recordKeys();
  await table().put({ id: value.id, sealed: await sealVaultData(keys, TX_QUEUE_KIND, value.id, value) });
}

/** Every action that opens under this vault's keys and parses, oldest first. Throws 'locked' when locked. */
export async function loadActions(): Promise<QueuedAction[]> {
  const keys = await recordKeys();
  const rows = await table().toArray();
  const out: QueuedAction[] = [];
  for (const row of rows) {
    const opened = await openVaultData<unknown>(keys, TX_QUEUE_KIND, row.id, row.sealed).catch(logged('tx-queue', 'a queued action did not open (skipped)'));
    const parsed = QueuedAction.safeParse(opened);
    if (parsed.success && parsed.data.id === row.id) out.push(parsed.data);
  }
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

/** Remove an action's row (only actions that never reached a relayer are ever removed: queue.ts `discard`). */
export async function deleteAction(id: string): Promise<void> {
  await table().delete(id);
}

export async function loadAction(id: string): Promise<QueuedAction | undefined> {
  const row = await table().get(id);
  if (!row) return undefined;
  const opened = await openVaultData<unknown>(await recordKeys(), TX_QUEUE_KIND, id, row.sealed).catch(() => undefined);
  const parsed = QueuedAction.safeParse(opened);
  return parsed.success && parsed.data.id === id ? parsed.data : undefined;
}
