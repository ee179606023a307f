// The relay's HTTP API at the wire level: shapes xmtp-js relies on, paging, dedupe, streaming, restart.
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity } from '../../scripts/relay/identity';
import { post, startTestRelay, waitFor, type TestRelay } from './helpers/relay';

let t: TestRelay;
let auth: { Authorization: string }; // a real XMTP token (relay-auth.test.ts covers bad ones)
const b64 = (s: string) => Buffer.from(s).toString('base64');
const env = (topic: string, ts: bigint | number, body: string) => ({ contentTopic: topic, timestampNs: String(ts), message: b64(body) });
const publish = (...envelopes: ReturnType<typeof env>[]) => post(t.relay.url, '/message/v1/publish', { envelopes }, auth);
const query = (body: object) => post(t.relay.url, '/message/v1/query', body);
const bodies = (r: { json: { envelopes: { message: string }[] } }) => r.json.envelopes.map((e) => Buffer.from(e.message, 'base64').toString());

beforeAll(async () => {
  t = await startTestRelay();
  auth = { Authorization: `Bearer ${await (await newIdentity()).token()}` };
});
afterAll(async () => {
  await t?.stop();
});

describe('relay: query and paging', () => {
  const topic = '/xmtp/0/m-paging/proto';
  // Timestamps beyond 2^53 ns (any real date) must compare exactly: BigInt, not Number.
  const base = 1_750_000_000_000_000_000n;

  beforeAll(async () => {
    // Published out of order, with two equal timestamps, to check ordering is by time then arrival.
    const envs = Array.from({ length: 250 }, (_, i) => env(topic, base + BigInt(i === 249 ? 248 : i), `m${i}`)).reverse();
    for (let i = 0; i < envs.length; i += 50) expect((await publish(...envs.slice(i, i + 50))).status).toBe(200);
  });

  it('pages ascending with a cursor the client echoes back, 100 per page by default', async () => {
    const seen: string[] = [];
    let cursor: unknown;
    let pages = 0;
    do {
      const r = await query({ contentTopics: [topic], pagingInfo: { direction: 'SORT_DIRECTION_ASCENDING', cursor } });
      expect(r.status).toBe(200);
      expect(r.json.envelopes.length).toBeLessThanOrEqual(100);
      seen.push(...bodies(r));
      cursor = r.json.pagingInfo.cursor;
      if (cursor) expect(cursor).toMatchObject({ index: { digest: expect.any(String), senderTimeNs: expect.any(String) } });
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const timeOrder = Array.from({ length: 249 }, (_, i) => `m${i}`);
    timeOrder.splice(248, 0, 'm249'); // m249 has m248's timestamp but was published earlier (reversed list)
    expect(seen).toEqual(timeOrder);
  });

  it('pages descending with a limit', async () => {
    const first = await query({ contentTopics: [topic], pagingInfo: { limit: 2, direction: 'SORT_DIRECTION_DESCENDING' } });
    expect(bodies(first)).toEqual(['m248', 'm249']);
    const second = await query({
      contentTopics: [topic],
      pagingInfo: { limit: 2, direction: 'SORT_DIRECTION_DESCENDING', cursor: first.json.pagingInfo.cursor },
    });
    expect(bodies(second)).toEqual(['m247', 'm246']);
  });

  it('filters by inclusive start and end time given as nanosecond strings', async () => {
    const r = await query({ contentTopics: [topic], startTimeNs: String(base + 10n), endTimeNs: String(base + 12n) });
    expect(bodies(r)).toEqual(['m10', 'm11', 'm12']);
    expect(r.json.pagingInfo.cursor).toBeUndefined();
  });

  it('answers a batch query with one response per request, in order', async () => {
    const r = await post(t.relay.url, '/message/v1/batch-query', {
      requests: [
        { contentTopics: [topic], pagingInfo: { limit: 1, direction: 'SORT_DIRECTION_DESCENDING' } },
        { contentTopics: ['/xmtp/0/empty/proto'], pagingInfo: { limit: 10 } },
        { contentTopics: [topic], pagingInfo: { limit: 1, direction: 'SORT_DIRECTION_ASCENDING' } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json.responses.map((x: any) => bodies({ json: x }))).toEqual([['m248'], [], ['m0']]);
  });
});

describe('relay: publish', () => {
  it('stores an identical re-published envelope once, but a different timestamp or body separately', async () => {
    const topic = '/xmtp/0/m-dedupe/proto';
    const e = env(topic, 1_000_000_123n, 'ciphertext');
    const before = t.relay.envelopeCount();
    await publish(e);
    await publish(e, e);
    await publish(env(topic, 1_000_000_124n, 'ciphertext'), env(topic, 1_000_000_123n, 'other'));
    expect(t.relay.envelopeCount()).toBe(before + 3);
    expect(bodies(await query({ contentTopics: [topic] }))).toEqual(['ciphertext', 'other', 'ciphertext']);
  });

  it('requires an Authorization bearer header (gRPC code 16 so xmtp-js refreshes its token)', async () => {
    const e = env('/xmtp/0/m-auth/proto', 1, 'x');
    const variants: Record<string, string>[] = [{}, { Authorization: 'Basic abc' }, { Authorization: 'Bearer ' }, { Authorization: 'Bearer CgYKBAgBEAE=' }];
    for (const headers of variants) {
      const r = await post(t.relay.url, '/message/v1/publish', { envelopes: [e] }, headers);
      expect(r.status).toBe(401);
      expect(r.json.code).toBe(16);
    }
    expect(bodies(await query({ contentTopics: ['/xmtp/0/m-auth/proto'] }))).toEqual([]);
  });
});

describe('relay: subscribe', () => {
  it('streams each new envelope as one {"result": Envelope} line and drops closed streams', async () => {
    const topic = '/xmtp/0/m-stream/proto';
    const ac = new AbortController();
    const res = await fetch(t.relay.url + '/message/v1/subscribe', {
      method: 'POST',
      body: JSON.stringify({ contentTopics: [topic, '/xmtp/0/other/proto'] }),
      signal: ac.signal,
    });
    expect(res.status).toBe(200); // headers arrive before any message: the relay flushes them at once
    expect(t.relay.subscriberCount(topic)).toBe(1);

    const e = env(topic, 42n, 'streamed');
    await publish(e);
    await publish(e); // duplicate: not streamed again
    await publish(env(topic, 43n, 'second'));
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (text.split('\n').length < 3) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended early: ${text}`);
      text += value;
    }
    const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toEqual([{ result: e }, { result: env(topic, 43n, 'second') }]);

    ac.abort();
    await waitFor(() => t.relay.subscriberCount(topic) === 0, 'aborted stream to be dropped');
  });
});

describe('relay: restart', () => {
  it('reloads its data file and tolerates a torn last line from a crash', async () => {
    const topic = '/xmtp/0/m-restart/proto';
    await publish(env(topic, 1, 'kept'));
    const count = t.relay.envelopeCount();
    appendFileSync(t.relay.dataFile, '{"t":"/xmtp/0/m-restart/proto","ts":"2","m":"dG9y'); // no newline
    await t.restart();
    expect(t.relay.envelopeCount()).toBe(count);
    await publish(env(topic, 3, 'after'));
    await t.restart();
    expect(bodies(await query({ contentTopics: [topic] }))).toEqual(['kept', 'after']);
  });
});
