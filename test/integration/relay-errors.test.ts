// Bad input gets a 4xx JSON error (grpc-gateway shape) that the extension can read (CORS headers for
// its origin), and the relay keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity } from '../../scripts/relay/identity';
import { EXTENSION_ORIGIN } from '../../shared/settings/extension-id';
import { post, startTestRelay, type TestRelay } from './helpers/relay';

let t: TestRelay;
let auth: { Authorization: string; Origin: string };
const topic = '/xmtp/0/m-errors/proto';
const good = { contentTopic: topic, timestampNs: '1000', message: 'AQID' };

beforeAll(async () => {
  t = await startTestRelay();
  auth = { Authorization: `Bearer ${await (await newIdentity()).token()}`, Origin: EXTENSION_ORIGIN };
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
    expect(r.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
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

  it("answers the extension's CORS preflights for the headers xmtp-js sends, naming its origin (never *)", async () => {
    const r = await fetch(t.relay.url + '/message/v1/publish', {
      method: 'OPTIONS',
      headers: {
        Origin: EXTENSION_ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-client-version,x-app-version',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
    expect(r.headers.get('vary')).toBe('Origin');
    expect(r.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = r.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-client-version', 'x-app-version']));
    expect(r.headers.get('access-control-allow-private-network')).toBeNull();
  });

  it('still accepts a valid publish after all of the above', async () => {
    const r = await post(t.relay.url, '/message/v1/publish', { envelopes: [good] }, auth);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect(t.relay.envelopeCount()).toBe(1);
  });
});
