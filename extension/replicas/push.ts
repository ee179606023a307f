import { mapLimit } from './fetch';
import type { ReplicaBlock } from './format';
import { getBlock, importBlocks, localRefs, NodeError, putIpnsRecord, removeBlock, type NodeConfig } from './node-client';

/**
 * One node's upload and health check in one pass (no browser APIs: the integration tests run it against
 * real nodes). The node is asked what it holds on its own disk (`refs/local`), whatever is missing is
 * uploaded (a first upload, a refill after a loss, or the rest of an upload a stopped worker left half
 * done: it is the same step), the signed head is republished, and the manifest plus a few random blocks
 * are read back through the gateway and hash-checked, so a node serving damaged data shows up. A node
 * that does is then checked block by block (as is one a restore or an earlier pass found damaged), and
 * each damaged block is removed and uploaded again: the node is repaired like a node that lost data.
 */
export interface NodeCheck {
  url: string;
  state: 'current' | 'unreachable' | 'damaged' | 'refused';
  /** Blocks the node lacked when asked (uploaded since, unless the state says otherwise). */
  missing: number;
  uploaded: number;
  /** Blocks the node served damaged, replaced in this pass. */
  repaired?: number;
  message?: string;
}

/** Blocks per CAR: bounded in count and bytes so one request stays well under a node's body limit. */
const BATCH_BLOCKS = 400;
const BATCH_BYTES = 8 * 1024 * 1024;
/** CARs in flight to one node: the next one is built and sent while the node stores the last. */
const BATCHES_IN_FLIGHT = 2;
const SAMPLE = 4;
/** Blocks read back at once when a node is checked block by block. */
const VERIFY_IN_FLIGHT = 4;

function batches(blocks: readonly ReplicaBlock[]): ReplicaBlock[][] {
  const out: ReplicaBlock[][] = [];
  let current: ReplicaBlock[] = [];
  let bytes = 0;
  for (const block of blocks) {
    if (current.length && (current.length >= BATCH_BLOCKS || bytes + block.bytes.length > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(block);
    bytes += block.bytes.length;
  }
  if (current.length) out.push(current);
  return out;
}

export async function pushToNode(
  node: NodeConfig,
  snapshot: { blocks: readonly ReplicaBlock[]; manifest: ReplicaBlock },
  head: { name: string; record: Uint8Array },
  options: { verifyAll?: boolean; onProgress?: (uploaded: number, missing: number) => void } = {},
): Promise<NodeCheck> {
  const { onProgress } = options;
  const url = node.url;
  let missing = 0;
  let uploaded = 0;
  try {
    const held = await localRefs(node);
    // The manifest goes last: a node never holds a head whose blocks it lacks.
    const lacking = snapshot.blocks.filter((b) => !held.has(b.cid));
    missing = lacking.length;
    const all = batches(lacking);
    const upload = async (batch: ReplicaBlock[]) => {
      await importBlocks(node, batch);
      uploaded += batch.length;
      onProgress?.(uploaded, missing);
    };
    // Every batch but the last in parallel; the last (it ends with the manifest, when the node lacks it) after them.
    await mapLimit(all.slice(0, -1), BATCHES_IN_FLIGHT, upload);
    if (all.length) await upload(all[all.length - 1]!);
    try {
      await putIpnsRecord(node, head.name, head.record);
    } catch (error) {
      // 409: the node holds a newer head (another device published): not this node's fault.
      if (!(error instanceof NodeError && /409/.test(error.message))) throw error;
    }
    // Read back the manifest and a few random blocks; every block when the node served damaged data before.
    const sample = options.verifyAll ? [...snapshot.blocks] : [snapshot.manifest, ...pick(snapshot.blocks, SAMPLE)];
    let damaged = await damagedAmong(node, sample);
    if (damaged.length && !options.verifyAll) damaged = await damagedAmong(node, snapshot.blocks);
    if (damaged.length) {
      await repair(node, damaged);
      const still = await damagedAmong(node, damaged);
      if (still.length) return { url, state: 'damaged', missing, uploaded, repaired: 0, message: `${url} still serves ${still.length} damaged blocks after they were replaced` };
    }
    return { url, state: 'current', missing, uploaded, repaired: damaged.length };
  } catch (error) {
    if (!(error instanceof NodeError)) throw error;
    const state = error.kind === 'unreachable' ? 'unreachable' : error.kind === 'corrupt' || error.kind === 'missing' ? 'damaged' : 'refused';
    return { url, state, missing, uploaded, message: error.message };
  }
}

/** The blocks among `blocks` that the node serves with bytes not matching their CID (other errors throw). */
async function damagedAmong(node: NodeConfig, blocks: readonly ReplicaBlock[]): Promise<ReplicaBlock[]> {
  const checked = await mapLimit(blocks, VERIFY_IN_FLIGHT, async (block) => {
    try {
      await getBlock(node, block.cid);
      return undefined;
    } catch (error) {
      if (error instanceof NodeError && error.kind === 'corrupt') return block;
      throw error;
    }
  });
  return checked.filter((b): b is ReplicaBlock => b !== undefined);
}

/** Replace damaged blocks: remove each (unpin + block/rm), then import them again (pinned as roots). */
async function repair(node: NodeConfig, damaged: readonly ReplicaBlock[]): Promise<void> {
  for (const block of damaged) await removeBlock(node, block.cid);
  for (const batch of batches(damaged)) await importBlocks(node, batch);
}

function pick<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const out = new Set<T>();
  while (out.size < n) out.add(items[Math.floor(Math.random() * items.length)]!);
  return [...out];
}
