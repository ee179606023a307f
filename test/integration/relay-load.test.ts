// A bounded load test on loopback with the default limits: four legitimate clients publish and query
// while an abusive client (its own address, 127.0.0.2) floods publishes with a valid token and floods
// forged ones. It stops by itself (fixed message counts; the abuser stops when the legitimate clients are
// done, or after a fixed number of requests). It asserts that every legitimate request is served and that
// the abuser is throttled; it prints the latency (timing belongs to the bench, not to assertions).
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity, type XmtpIdentity } from '../../scripts/relay/identity';
import { startTestRelay, type TestRelay } from './helpers/relay';

let t: TestRelay;
beforeAll(async () => {
  t = await startTestRelay();
});
afterAll(async () => {
  await t?.stop();
});

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** POST with a pooled connection (as fetch would), optionally from another loopback address. */
function send(path: string, body: unknown, token?: string, from?: string): Promise<number> {
  const data = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) };
  if (token) headers.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = request(t.relay.url + path, { method: 'POST', headers, agent: from ? false : keepAlive, localAddress: from }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ABUSE_BYTES = 64 * 1024;
let seq = 0;
const envelope = (topic: string, bytes: number) => ({ contentTopic: topic, timestampNs: String(BigInt(Date.now()) * 1_000_000n + BigInt(seq++)), message: Buffer.alloc(bytes, 7).toString('base64') });

describe('relay under load', () => {
  it('serves legitimate clients while an abusive client is throttled', async () => {
    const legit = await Promise.all(Array.from({ length: 4 }, () => newIdentity()));
    const abuser = await newIdentity();
    const [abuserToken, forged] = [await abuser.token(), Buffer.from('forged token').toString('base64')];

    let done = false;
    const abuse = { sent: 0, accepted: 0, throttled: 0, unauthorized: 0, throttledWhileLegit: 0 };
    let onThrottled = () => {};
    const throttled = new Promise<void>((resolve) => (onThrottled = resolve));
    const flood = async (token: string) => {
      while (!done && abuse.sent < 20_000) {
        abuse.sent++;
        const status = await send('/message/v1/publish', { envelopes: [envelope('/xmtp/0/m-flood/proto', ABUSE_BYTES)] }, token, '127.0.0.2');
        if (status === 200) abuse.accepted++;
        else if (status === 401) abuse.unauthorized++;
        else if (status === 429) {
          abuse.throttled++;
          if (legitStarted) abuse.throttledWhileLegit++;
          onThrottled();
        }
      }
    };
    const flooders = [...Array.from({ length: 12 }, () => flood(abuserToken)), ...Array.from({ length: 4 }, () => flood(forged))];
    // Measure only once the abuser is being throttled (it gets there within its first ~70 publishes).
    let legitStarted = false;
    await Promise.race([throttled, Promise.all(flooders)]);
    legitStarted = true;

    const publishMs: number[] = [];
    const queryMs: number[] = [];
    const failures: string[] = [];
    const client = async (who: XmtpIdentity, i: number) => {
      const token = await who.token();
      const topic = `/xmtp/0/m-legit-${i}/proto`;
      for (let k = 0; k < 250; k++) {
        let s = performance.now();
        const p = await send('/message/v1/publish', { envelopes: [envelope(topic, 1024)] }, token);
        publishMs.push(performance.now() - s);
        if (p !== 200) failures.push(`publish ${p}`);
        if (k % 10 === 9) {
          s = performance.now();
          const q = await send('/message/v1/query', { contentTopics: [topic], pagingInfo: { limit: 100, direction: 'SORT_DIRECTION_DESCENDING' } });
          queryMs.push(performance.now() - s);
          if (q !== 200) failures.push(`query ${q}`);
        }
      }
    };
    await Promise.all(legit.map(client));
    done = true;
    await Promise.all(flooders);

    publishMs.sort((a, b) => a - b);
    queryMs.sort((a, b) => a - b);
    console.log(
      `relay load: legit publish p50 ${percentile(publishMs, 50).toFixed(1)} ms, p95 ${percentile(publishMs, 95).toFixed(1)} ms (n=${publishMs.length}); ` +
        `query p95 ${percentile(queryMs, 95).toFixed(1)} ms (n=${queryMs.length}); abuser ${JSON.stringify(abuse)}`,
    );

    expect(failures).toEqual([]);
    expect(publishMs).toHaveLength(1000);
    expect(abuse.throttledWhileLegit).toBeGreaterThan(0);
    expect(abuse.unauthorized).toBeGreaterThan(0);
    // What the abuser got stored is bounded by its identity quota (4 MiB at once + 16 KiB/s; the test's
    // 60 s timeout bounds the time), not by its effort.
    expect(abuse.accepted * (ABUSE_BYTES + 256)).toBeLessThanOrEqual(4 * 1024 * 1024 + 16 * 1024 * 60);
    expect(t.relay.envelopeCount()).toBe(1000 + abuse.accepted);
  });
});
