// Envelope store: in-memory index per topic, persisted as an append-only JSON-lines file.
// The relay only ever sees XMTP ciphertext, so the file holds opaque base64 blobs plus topic names.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredEnvelope {
  contentTopic: string;
  timestampNs: string; // decimal nanoseconds, as the client sent it (normalised: no leading zeros)
  message: string; // standard base64
  digest: string; // base64 SHA-256 over (topic, timestamp, message bytes): the dedupe key and cursor
  ts: bigint;
  seq: number; // arrival order: tie-breaker for equal timestamps, so paging is total and stable
}

export interface Cursor {
  index: { digest: string; senderTimeNs: string };
}

export interface QueryParams {
  contentTopics: string[];
  startTimeNs?: bigint;
  endTimeNs?: bigint;
  limit: number;
  descending: boolean;
  cursor?: Cursor;
}

export const DATA_FILE = 'envelopes.jsonl';

// Length-prefix every field so that (topic "a", message "bc") and (topic "ab", message "c") differ.
export function envelopeDigest(topic: string, timestampNs: string, message: Buffer): string {
  const h = createHash('sha256');
  for (const part of [Buffer.from(topic, 'utf8'), Buffer.from(timestampNs, 'ascii'), message]) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(part.length);
    h.update(len).update(part);
  }
  return h.digest('base64');
}

export class EnvelopeStore {
  private readonly byTopic = new Map<string, StoredEnvelope[]>();
  private readonly byDigest = new Map<string, StoredEnvelope>();
  private seq = 0;
  private fd: number | undefined;

  constructor(private readonly dataDir: string, private readonly durable = false) {}

  get size(): number {
    return this.byDigest.size;
  }

  get filePath(): string {
    return join(this.dataDir, DATA_FILE);
  }

  /** Loads the file written by earlier runs and opens it for appending. */
  open(): void {
    mkdirSync(this.dataDir, { recursive: true });
    const path = this.filePath;
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      // A crash mid-append can leave a torn last line; cut it off so the next append starts clean.
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
      for (const line of text.slice(0, end).split('\n')) {
        if (!line) continue;
        try {
          const r = JSON.parse(line) as { t: string; ts: string; m: string };
          this.insert(r.t, r.ts, r.m, false);
        } catch {
          // A corrupt line loses that one envelope, not the whole store.
        }
      }
    }
    this.fd = openSync(path, 'a');
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Returns the stored envelope and whether it is new (false: an identical one was already stored). */
  insert(topic: string, timestampNs: string, messageB64: string, persist = true): { env: StoredEnvelope; added: boolean } {
    const bytes = Buffer.from(messageB64, 'base64');
    const ts = BigInt(timestampNs);
    const tsStr = ts.toString();
    const digest = envelopeDigest(topic, tsStr, bytes);
    const existing = this.byDigest.get(digest);
    if (existing) return { env: existing, added: false };
    const env: StoredEnvelope = {
      contentTopic: topic,
      timestampNs: tsStr,
      message: bytes.toString('base64'), // re-encode: canonical padding whatever the client sent
      digest,
      ts,
      seq: this.seq++,
    };
    if (persist) {
      if (this.fd === undefined) throw new Error('store is not open');
      // Written before the publish is acknowledged, so an acknowledged envelope survives a restart.
      writeSync(this.fd, JSON.stringify({ t: topic, ts: tsStr, m: env.message }) + '\n');
      if (this.durable) fsyncSync(this.fd);
    }
    const list = this.byTopic.get(topic) ?? [];
    if (list.length === 0) this.byTopic.set(topic, list);
    list.splice(upperBound(list, env), 0, env); // usually appends: clients publish with "now"
    this.byDigest.set(digest, env);
    return { env, added: true };
  }

  query(p: QueryParams): { envelopes: StoredEnvelope[]; cursor?: Cursor } {
    const lists = [...new Set(p.contentTopics)].map((t) => this.byTopic.get(t) ?? []);
    let all = lists.length === 1 ? lists[0] : lists.flat().sort(compare);
    all = all.filter(
      (e) => (p.startTimeNs === undefined || e.ts >= p.startTimeNs) && (p.endTimeNs === undefined || e.ts <= p.endTimeNs),
    );
    if (p.descending) all = [...all].reverse();
    let from = 0;
    if (p.cursor) {
      const c = this.byDigest.get(p.cursor.index.digest);
      // Position strictly after the cursor envelope; an unknown digest falls back to its timestamp.
      const after = c
        ? (e: StoredEnvelope) => (p.descending ? compare(e, c) < 0 : compare(e, c) > 0)
        : (e: StoredEnvelope) => {
            const ts = BigInt(p.cursor!.index.senderTimeNs);
            return p.descending ? e.ts < ts : e.ts > ts;
          };
      from = all.findIndex(after);
      if (from < 0) from = all.length;
    }
    const page = all.slice(from, from + p.limit);
    const more = from + p.limit < all.length;
    const last = page[page.length - 1];
    // A cursor only when more remain: the client stops paging when the response has none.
    const cursor = more && last ? { index: { digest: last.digest, senderTimeNs: last.timestampNs } } : undefined;
    return { envelopes: page, cursor };
  }
}

function compare(a: StoredEnvelope, b: StoredEnvelope): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.seq - b.seq;
}

function upperBound(list: StoredEnvelope[], env: StoredEnvelope): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid], env) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
