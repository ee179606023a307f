import { z } from 'zod';
import { vaultDb } from '../records/db';
import { recordKeys } from '../records/vault-keys';
import { logged } from '../logging/log';
import { openVaultData, sealVaultData, type SealedRow } from '../vault-data/sealed-kind';

/**
 * Anchor batches at rest: one sealed row per batch (registry kind `anchorBatches`, vault schema v5),
 * in the backup and the replicas like any sealed kind. A batch row IS the proof store: it lists every
 * record version it anchored (id, version, content hash) and its random padding leaves, so the tree —
 * and every record's proof — is rebuilt from it exactly (the root depends only on the set of values).
 * It is written BEFORE anything is sent (state `waiting`), so a worker stopped mid-batch finds it again
 * and sends the same root, never a second batch for the same records.
 */
export const ANCHOR_BATCHES_KIND = 'anchorBatches';
/** One batch row holds at most this many records (a first import of 10,000 becomes two batches). */
export const MAX_BATCH_RECORDS = 8192;

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Bytes32 = z.string().regex(/^0x[0-9a-f]{64}$/);

export const BatchLeaf = z.strictObject({
  /** Record id, version, content hash: the anchored leaf's inputs (shared/anchoring/leaf.ts). */
  r: z.string().min(1).max(1024),
  v: z.number().int().nonnegative(),
  h: Bytes32,
});
export type BatchLeaf = z.infer<typeof BatchLeaf>;

export const AnchorBatch = z.strictObject({
  v: z.literal(1),
  id: z.string().uuid(),
  /** The vault's anchoring account (shared/anchoring/account.ts) and the network it was anchored on. */
  account: Address,
  chainId: z.number().int().positive(),
  contract: Address,
  leaves: z.array(BatchLeaf).min(1).max(MAX_BATCH_RECORDS),
  /** Random leaves that bring the count up to `count` (the chain learns only the padded size). */
  padding: z.array(Bytes32).max(MAX_BATCH_RECORDS * 2),
  root: Bytes32,
  count: z.number().int().positive(),
  /** waiting: saved, its anchor action queued (or about to be); anchored: the chain has the root. */
  state: z.enum(['waiting', 'anchored']),
  /** The transaction-queue action carrying it. */
  actionId: z.string().uuid().optional(),
  txHash: Bytes32.optional(),
  blockNumber: z.number().int().nonnegative().optional(),
  /** Block time of the anchoring (unix seconds), as the contract recorded it. */
  blockTime: z.number().int().nonnegative().optional(),
  createdAt: z.number(),
});
export type AnchorBatch = z.infer<typeof AnchorBatch>;

function table() {
  return vaultDb().table<SealedRow, string>(ANCHOR_BATCHES_KIND);
}

export async function saveBatch(batch: AnchorBatch): Promise<void> {
  const value = AnchorBatch.parse(batch);
  const keys = await recordKeys();
  await table().put({ id: value.id, sealed: await sealVaultData(keys, ANCHOR_BATCHES_KIND, value.id, value) });
}

/** Every batch that opens under this vault's keys and parses, oldest first. Throws 'locked' when locked. */
export async function loadBatches(): Promise<AnchorBatch[]> {
  const keys = await recordKeys();
  const out: AnchorBatch[] = [];
  for (const row of await table().toArray()) {
    const opened = await openVaultData<unknown>(keys, ANCHOR_BATCHES_KIND, row.id, row.sealed).catch(logged('anchoring', 'a batch row did not open (skipped)'));
    const parsed = AnchorBatch.safeParse(opened);
    if (parsed.success && parsed.data.id === row.id) out.push(parsed.data);
  }
  return out.sort((a, b) => a.createdAt - b.createdAt);
}
