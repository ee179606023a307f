// Bad input gets a 4xx JSON error (grpc-gateway shape) with CORS headers, and the relay keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestRelay, type TestRelay } from './helpers/relay';

let t: TestRelay;
const auth = { Authorization: 'Bearer CgYKBAgBEAE=' };
const topic = '/xmtp/0/m-errors/proto';
const good = { contentTopic: topic, timestampNs: '1000', message: 'AQID' };

beforeAll(async () => {
  t = await startTestRelay();
});
afterAll(async () => {
  await t?.stop();
});

async function expectStillServing() {
  const health = await fetch(t.relay.url + '/health');
  expect(await health.json()).toMatchObject({ ok: true });
  const r = await post(t.relay.url, '/message/v1/query', { contentTopics: [topic] });
  expect(r.status).toBe(200);
}

describe('relay: malformed requests', () => {
  const cases: [string, string, unknown, number, RegExp][] = [
    ['invalid JSON', '/message/v1/query', '{"contentTopics": [', 400, /invalid JSON/],
    ['empty body', '/message/v1/query', '', 400, /invalid JSON/],
    ['JSON that is not an object', '/message/v1/query', '[1,2]', 400, /body/],
    ['missing contentTopics', '/message/v1/query', { pagingInfo: { limit: 5 } }, 400, /contentTopics/],
    ['empty contentTopics', '/message/v1/subscribe', { contentTopics: [] }, 400, /contentTopics/],
    ['too many topics', '/message/v1/query', { contentTopics: Array.from({ length: 1001 }, (_, i) => `t${i}`) }, 400, /contentTopics/],
    ['bad direction', '/message/v1/query', { contentTopics: [topic], pagingInfo: { direction: 'UP' } }, 400, /direction/],
    ['bad time', '/message/v1/query', { contentTopics: [topic], startTimeNs: '-5' }, 400, /startTimeNs/],
    ['bad cursor', '/message/v1/query', { contentTopics: [topic], pagingInfo: { cursor: { index: {} } } }, 400, /cursor/],
    ['missing envelopes', '/message/v1/publish', {}, 400, /envelopes/],
    ['missing message', '/message/v1/publish', { envelopes: [{ ...good, message: undefined }] }, 400, /message/],
    ['non-base64 message', '/message/v1/publish', { envelopes: [{ ...good, message: 'not base64!' }] }, 400, /base64/],
    ['timestamp beyond uint64', '/message/v1/publish', { envelopes: [{ ...good, timestampNs: '99999999999999999999' }] }, 400, /uint64/],
    ['empty batch', '/message/v1/batch-query', { requests: [] }, 400, /requests/],
    ['bad request inside a batch', '/message/v1/batch-query', { requests: [{ contentTopics: [topic] }, {}] }, 400, /requests\.1/],
    ['unknown endpoint', '/message/v1/nope', {}, 404, /no such endpoint/],
  ];

  it.each(cases)('%s → %i JSON error', async (_name, path, body, status, pattern) => {
    const r = await post(t.relay.url, path, body, auth);
    expect(r.status).toBe(status);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.json).toMatchObject({ code: expect.any(Number), message: expect.stringMatching(pattern) });
    await expectStillServing();
  });

  it('rejects a body over 1 MiB with 413 and keeps serving', async () => {
    const big = 'A'.repeat(1024 * 1024 + 4);
    const r = await post(t.relay.url, '/message/v1/publish', { envelopes: [{ ...good, message: big }] }, auth);
    expect(r.status).toBe(413);
    expect(r.json.message).toMatch(/exceeds/);
    expect(t.relay.envelopeCount()).toBe(0);
    await expectStillServing();
  });

  it('answers a GET on a POST endpoint with 405', async () => {
    const r = await fetch(t.relay.url + '/message/v1/query');
    expect(r.status).toBe(405);
    expect(await r.json()).toMatchObject({ code: 12 });
  });

  it('answers CORS preflights for the headers xmtp-js sends', async () => {
    const r = await fetch(t.relay.url + '/message/v1/publish', {
      method: 'OPTIONS',
      headers: {
        Origin: 'chrome-extension://abc',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-client-version,x-app-version',
        'Access-Control-Request-Private-Network': 'true',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = r.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-client-version', 'x-app-version']));
    expect(r.headers.get('access-control-allow-private-network')).toBe('true');
  });

  it('still accepts a valid publish after all of the above', async () => {
    const r = await post(t.relay.url, '/message/v1/publish', { envelopes: [good] }, auth);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect(t.relay.envelopeCount()).toBe(1);
  });
});
