import type { ReplicaKeys } from '../../shared/crypto/replica-keys';
import { ipnsName } from './cid';
import { verifyIpnsRecord, type IpnsHead } from './ipns';
import { getBlock, getIpnsRecord, NodeError, type NodeConfig } from './node-client';

/**
 * Reading the replica back from whichever nodes answer (no browser APIs). The head is the highest valid
 * sequence any node holds (a node can hide a newer head, never forge one); each block is taken from the
 * first node that serves bytes matching its CID, so a node serving damaged blocks is bypassed and named.
 */
export class NodeSet {
  /** Nodes that served a block failing its hash, or could not be reached: tried last. */
  readonly damaged = new Set<string>();
  readonly unreachable = new Set<string>();
  private next = 0;

  constructor(readonly nodes: readonly NodeConfig[]) {}

  private order(): NodeConfig[] {
    const start = this.next++ % Math.max(1, this.nodes.length);
    const rotated = [...this.nodes.slice(start), ...this.nodes.slice(0, start)];
    const bad = (n: NodeConfig) => this.damaged.has(n.url) || this.unreachable.has(n.url);
    return [...rotated.filter((n) => !bad(n)), ...rotated.filter(bad)];
  }

  async block(cid: string): Promise<Uint8Array> {
    const failures: string[] = [];
    for (const node of this.order()) {
      try {
        return await getBlock(node, cid);
      } catch (error) {
        if (!(error instanceof NodeError)) throw error;
        failures.push(error.message);
        if (error.kind === 'corrupt') this.damaged.add(node.url);
        if (error.kind === 'unreachable') this.unreachable.add(node.url);
      }
    }
    throw new NodeError('No storage node could provide a part of your vault. Try again when more nodes are reachable.', 'missing', { cause: failures.join('; ') });
  }

  /** The newest head signed by our key on any node; undefined when none holds one. */
  async head(keys: ReplicaKeys): Promise<IpnsHead | undefined> {
    const name = ipnsName(keys.ipnsPublic);
    const heads = await Promise.all(
      this.nodes.map(async (node) => {
        try {
          const record = await getIpnsRecord(node, name);
          return record && verifyIpnsRecord(record, keys.ipnsPublic);
        } catch {
          this.unreachable.add(node.url);
          return undefined;
        }
      }),
    );
    return heads.reduce<IpnsHead | undefined>((best, h) => (h && (!best || h.sequence > best.sequence) ? h : best), undefined);
  }
}

/** Runs `work` over items with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let at = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (at < items.length) {
        const i = at++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}
