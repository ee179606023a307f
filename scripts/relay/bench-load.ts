// Relay throughput at the HTTP level, with a real XMTP auth token (no xmtp-js client in the loop):
// - publish_per_s: single-envelope publishes from one identity, 16 in flight, until `publishes` are done;
// - query_p95_ms: with `stored` envelopes on 100 topics, pages of 100 — half single-topic pages from a
//   random start time, half 20-topic descending pages (an inbox catching up on many conversations).
// Standalone: npx tsx scripts/relay/bench-load.ts [stored]  (starts its own relay in a temp folder).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newIdentity } from './identity';
import { startRelay, type RelayOptions } from './server';

export interface LoadFigures {
  publishPerS: number; // envelopes acknowledged per second
  queryP50Ms: number;
  queryP95Ms: number;
  stored: number;
}

// The bench measures the relay's own cost, so the abuse quotas are lifted (they are tested elsewhere).
const BENCH_LIMITS: RelayOptions['limits'] = {
  identity: { bytesBurst: 1e12, bytesPerS: 1e12 },
  wallet: { bytesBurst: 1e12, bytesPerS: 1e12 },
  ip: { bytesBurst: 1e12, bytesPerS: 1e12, requestsBurst: 1e9, requestsPerS: 1e9 },
  maxStoredBytes: 1e12,
};

const TOPICS = 100;
const topicName = (i: number) => `/xmtp/0/m-bench-${i}/proto`;
const BASE_NS = BigInt(Date.now()) * 1_000_000n;
const message = (i: number) => Buffer.alloc(800, i % 251).toString('base64'); // a typical text envelope

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function post(url: string, path: string, body: unknown, token?: string): Promise<unknown> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function measureLoad(url: string, stored = 100_000, publishes = 3_000): Promise<LoadFigures> {
  const token = await (await newIdentity()).token();
  let seq = 0;
  const envelope = () => {
    const i = seq++;
    return { contentTopic: topicName(i % TOPICS), timestampNs: String(BASE_NS + BigInt(i) * 1000n), message: message(i) };
  };

  // 1. Publish throughput: one envelope per request, 16 requests in flight.
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (seq < publishes) await post(url, '/message/v1/publish', { envelopes: [envelope()] }, token);
    }),
  );
  const publishPerS = seq / ((performance.now() - t0) / 1000);

  // 2. Fill up to `stored`, 100 envelopes per request (not timed).
  while (seq < stored) {
    const batch = Array.from({ length: Math.min(100, stored - seq) }, envelope);
    await post(url, '/message/v1/publish', { envelopes: batch }, token);
  }

  // 3. Queries, one at a time.
  const latencies: number[] = [];
  for (let q = 0; q < 600; q++) {
    const body =
      q % 2 === 0
        ? {
            contentTopics: [topicName(q % TOPICS)],
            startTimeNs: String(BASE_NS + BigInt(Math.floor(Math.random() * seq)) * 1000n),
            pagingInfo: { limit: 100, direction: 'SORT_DIRECTION_ASCENDING' },
          }
        : {
            contentTopics: Array.from({ length: 20 }, (_, k) => topicName((q + k * 5) % TOPICS)),
            pagingInfo: { limit: 100, direction: 'SORT_DIRECTION_DESCENDING' },
          };
    const s = performance.now();
    const r = (await post(url, '/message/v1/query', body)) as { envelopes: unknown[] };
    latencies.push(performance.now() - s);
    if (q % 2 === 1 && r.envelopes.length !== 100) throw new Error(`expected a full page, got ${r.envelopes.length}`);
  }
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { publishPerS: Math.round(publishPerS), queryP50Ms: round(percentile(latencies, 50)), queryP95Ms: round(percentile(latencies, 95)), stored: seq };
}

/** Starts a relay in a temp folder (quotas lifted), measures, cleans up. */
export async function measureLoadOnFreshRelay(stored = 100_000): Promise<LoadFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'securemed-relay-load-'));
  const relay = await startRelay({ port: 0, dataDir, limits: BENCH_LIMITS });
  try {
    return await measureLoad(relay.url, stored);
  } finally {
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// CLI entry (CommonJS under tsx); inert when imported as ESM.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  const stored = process.argv[2] ? Number(process.argv[2]) : 100_000;
  measureLoadOnFreshRelay(stored).then(
    (f) => {
      console.log(JSON.stringify(f));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
