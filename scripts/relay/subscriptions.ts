// Open /message/v1/subscribe responses, indexed by topic. Each new envelope is written to every
// response subscribed to its topic as one `{"result": Envelope}\n` line (grpc-gateway streaming shape).
// Streams are capped in total and per client IP: each one holds a socket and memory for as long as the
// client likes.
import type { ServerResponse } from 'node:http';
import type { StoredEnvelope } from './store';

const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export class Subscriptions {
  private readonly byTopic = new Map<string, Set<ServerResponse>>();
  private readonly perIp = new Map<string, number>();
  private open = 0;

  constructor(
    private readonly maxStreams: number,
    private readonly maxStreamsPerIp: number,
  ) {}

  /** Whether one more stream from `ip` fits under both caps. */
  hasRoom(ip: string): boolean {
    return this.open < this.maxStreams && (this.perIp.get(ip) ?? 0) < this.maxStreamsPerIp;
  }

  add(topics: string[], res: ServerResponse, ip: string): void {
    const unique = [...new Set(topics)];
    for (const t of unique) {
      const set = this.byTopic.get(t) ?? new Set();
      set.add(res);
      this.byTopic.set(t, set);
    }
    this.open++;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    // The client aborts the fetch to unsubscribe (and restarts streams that way): drop it on close.
    res.on('close', () => {
      for (const t of unique) {
        const set = this.byTopic.get(t);
        set?.delete(res);
        if (set?.size === 0) this.byTopic.delete(t);
      }
      this.open--;
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n > 0) this.perIp.set(ip, n);
      else this.perIp.delete(ip);
    });
  }

  count(topic: string): number {
    return this.byTopic.get(topic)?.size ?? 0;
  }

  get total(): number {
    return this.open;
  }

  publish(env: StoredEnvelope): void {
    const set = this.byTopic.get(env.contentTopic);
    if (!set) return;
    const line =
      JSON.stringify({ result: { contentTopic: env.contentTopic, timestampNs: env.timestampNs, message: env.message } }) + '\n';
    for (const res of set) {
      if (res.writableEnded || res.destroyed) continue;
      // A reader that stopped reading would make Node queue writes for it without bound: drop it instead
      // (a live client resubscribes and catches up with a query).
      if (res.writableLength > MAX_QUEUED_BYTES) res.destroy();
      else res.write(line);
    }
  }

  /** Ends every open stream (shutdown): the client sees the stream close and resubscribes. */
  endAll(): void {
    for (const set of this.byTopic.values()) for (const res of set) res.end();
    this.byTopic.clear();
  }
}
