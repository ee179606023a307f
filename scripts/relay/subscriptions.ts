// Open /message/v1/subscribe responses, indexed by topic. Each new envelope is written to every
// response subscribed to its topic as one `{"result": Envelope}\n` line (grpc-gateway streaming shape).
import type { ServerResponse } from 'node:http';
import type { StoredEnvelope } from './store';

export class Subscriptions {
  private readonly byTopic = new Map<string, Set<ServerResponse>>();

  add(topics: string[], res: ServerResponse): void {
    const unique = [...new Set(topics)];
    for (const t of unique) {
      const set = this.byTopic.get(t) ?? new Set();
      set.add(res);
      this.byTopic.set(t, set);
    }
    // The client aborts the fetch to unsubscribe (and restarts streams that way): drop it on close.
    res.on('close', () => {
      for (const t of unique) {
        const set = this.byTopic.get(t);
        set?.delete(res);
        if (set?.size === 0) this.byTopic.delete(t);
      }
    });
  }

  count(topic: string): number {
    return this.byTopic.get(topic)?.size ?? 0;
  }

  get total(): number {
    const all = new Set<ServerResponse>();
    for (const set of this.byTopic.values()) for (const r of set) all.add(r);
    return all.size;
  }

  publish(env: StoredEnvelope): void {
    const set = this.byTopic.get(env.contentTopic);
    if (!set) return;
    const line =
      JSON.stringify({ result: { contentTopic: env.contentTopic, timestampNs: env.timestampNs, message: env.message } }) + '\n';
    // A slow reader buffers in its own socket; Node keeps the write queued, other subscribers are unaffected.
    for (const res of set) if (!res.writableEnded && !res.destroyed) res.write(line);
  }

  /** Ends every open stream (shutdown): the client sees the stream close and resubscribes. */
  endAll(): void {
    for (const set of this.byTopic.values()) for (const res of set) res.end();
    this.byTopic.clear();
  }
}
