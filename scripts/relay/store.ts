// Envelope store: per-topic lists sorted by (timestamp, arrival) in memory, persisted as an append-only
// JSON-lines file (mode 0600) that is rewritten without expired envelopes (compaction). The relay only
// ever sees XMTP ciphertext, so the file holds opaque base64 blobs, topic names and arrival times.
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { firstAfter, readPage } from './page';

export interface StoredEnvelope {
  contentTopic: string;
  timestampNs: string; // decimal nanoseconds, as the client sent it (normalised: no leading zeros)
  message: string; // standard base64
  digest: string; // base64 SHA-256 over (topic, timestamp, message bytes): the dedupe key and cursor
  ts: bigint;
  seq: number; // arrival order: tie-breaker for equal timestamps, so paging is total and stable
  arrivalMs: number; // server clock: retention counts from here (client timestamps can be anything)
  bytes: number; // decoded message size
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
  private readonly byDigest = new Map<string, StoredEnvelope>(); // insertion order = arrival order
  private seq = 0;
  private fd: number | undefined;
  private storedBytes = 0;

  constructor(
    private readonly dataDir: string,
    private readonly durable = false,
  ) {}

  get size(): number {
    return this.byDigest.size;
  }

  /** Sum of stored message sizes: the relay refuses publishes past its storage cap. */
  get bytes(): number {
    return this.storedBytes;
  }

  get filePath(): string {
    return join(this.dataDir, DATA_FILE);
  }

  /**
   * Loads the file written by earlier runs, drops envelopes older than the retention period, and
   * rewrites the file if anything was dropped or damaged (a torn last line after a crash, a bad line).
   */
  open(nowMs: number, retentionMs: number): { loaded: number; dropped: number } {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const path = this.filePath;
    let dropped = 0;
    let damaged = false;
    if (existsSync(path)) {
      chmodSync(path, 0o600); // a file from an older relay may have been created world-readable
      const text = readFileSync(path, 'utf8');
      if (!text.endsWith('\n') && text.length > 0) damaged = true;
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const r = JSON.parse(line) as { t: string; ts: string; m: string; a?: number };
          const arrival = typeof r.a === 'number' ? r.a : nowMs; // lines from before retention existed
          if (nowMs - arrival > retentionMs) dropped++;
          else this.insert(r.t, r.ts, r.m, arrival, false);
        } catch {
          damaged = true; // a corrupt line loses that one envelope, not the whole store
        }
      }
    }
    if (dropped > 0 || damaged) this.rewrite();
    this.fd = openSync(path, 'a', 0o600);
    return { loaded: this.size, dropped };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  has(topic: string, timestampNs: string, messageB64: string): boolean {
    return this.byDigest.has(envelopeDigest(topic, BigInt(timestampNs).toString(), Buffer.from(messageB64, 'base64')));
  }

  /** Returns the stored envelope and whether it is new (false: an identical one was already stored). */
  insert(topic: string, timestampNs: string, messageB64: string, arrivalMs: number, persist = true): { env: StoredEnvelope; added: boolean } {
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
      arrivalMs,
      bytes: bytes.length,
    };
    if (persist) {
      if (this.fd === undefined) throw new Error('store is not open');
      // Written before the publish is acknowledged, so an acknowledged envelope survives a restart.
      writeSync(this.fd, line(env));
      if (this.durable) fsyncSync(this.fd);
    }
    const list = this.byTopic.get(topic) ?? [];
    if (list.length === 0) this.byTopic.set(topic, list);
    list.splice(firstAfter(list, env), 0, env); // usually appends: clients publish with "now"
    this.byDigest.set(digest, env);
    this.storedBytes += env.bytes;
    return { env, added: true };
  }

  query(p: QueryParams): { envelopes: StoredEnvelope[]; cursor?: Cursor } {
    const lists = [...new Set(p.contentTopics)].map((t) => this.byTopic.get(t)).filter((l) => l !== undefined);
    let after;
    if (p.cursor) {
      // Strictly after the cursor envelope; an unknown digest (expired, another relay) falls back to its time.
      const c = this.byDigest.get(p.cursor.index.digest);
      after = c ?? { ts: BigInt(p.cursor.index.senderTimeNs), seq: p.descending ? -Infinity : Infinity };
    }
    const { page, more } = readPage(lists, { ...p, after });
    const last = page[page.length - 1];
    // A cursor only when more remain: the client stops paging when the response has none.
    const cursor = more && last ? { index: { digest: last.digest, senderTimeNs: last.timestampNs } } : undefined;
    return { envelopes: page, cursor };
  }

  /** Drops envelopes that arrived more than `retentionMs` ago and compacts the file. Returns the count. */
  expire(nowMs: number, retentionMs: number): number {
    const touched = new Set<string>();
    for (const env of this.byDigest.values()) {
      if (nowMs - env.arrivalMs <= retentionMs) continue;
      this.byDigest.delete(env.digest);
      this.storedBytes -= env.bytes;
      touched.add(env.contentTopic);
    }
    let dropped = 0;
    for (const topic of touched) {
      const list = this.byTopic.get(topic)!;
      const kept = list.filter((e) => this.byDigest.get(e.digest) === e);
      dropped += list.length - kept.length;
      if (kept.length > 0) this.byTopic.set(topic, kept);
      else this.byTopic.delete(topic);
    }
    if (dropped > 0) {
      this.close();
      this.rewrite();
      this.fd = openSync(this.filePath, 'a', 0o600);
    }
    return dropped;
  }

  /** Writes every live envelope, in arrival order, to a new file and swaps it in atomically. */
  private rewrite(): void {
    const tmp = `${this.filePath}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      let chunk = '';
      for (const env of this.byDigest.values()) {
        chunk += line(env);
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.filePath);
  }
}

function line(env: StoredEnvelope): string {
  return JSON.stringify({ t: env.contentTopic, ts: env.timestampNs, m: env.message, a: env.arrivalMs }) + '\n';
}

