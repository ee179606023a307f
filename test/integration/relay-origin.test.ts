// Who may call the relay: the extension's fixed origin and programs (no Origin header); every other
// browser origin is refused with 403 before any work — preflights and "simple" POSTs alike.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity } from '../../scripts/relay/identity';
import { EXTENSION_ID, EXTENSION_ORIGIN } from '../../shared/settings/extension-id';
import { post, startTestRelay, type TestRelay } from './helpers/relay';

let t: TestRelay;
let token: string;
const topic = '/xmtp/0/m-origin/proto';
const envelopes = [{ contentTopic: topic, timestampNs: '1000', message: 'AQID' }];
const strangers = ['https://evil.example', 'http://127.0.0.1:5173', 'null', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'];

beforeAll(async () => {
  t = await startTestRelay();
  token = await (await newIdentity()).token();
});
afterAll(async () => {
  await t?.stop();
});

describe('extension id', () => {
  it('is the one Chromium derives from the manifest key in wxt.config.ts', () => {
    const config = readFileSync(resolve(__dirname, '../../wxt.config.ts'), 'utf8');
    const key = /\bkey: '([A-Za-z0-9+/=]+)'/.exec(config)?.[1];
    expect(key).toBeDefined();
    // Chromium: SHA-256 of the DER public key, first 16 bytes as hex, each digit 0-f mapped to a-p.
    const hex = createHash('sha256').update(Buffer.from(key!, 'base64')).digest('hex').slice(0, 32);
    const id = [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join('');
    expect(id).toBe(EXTENSION_ID);
    expect(EXTENSION_ORIGIN).toBe(`chrome-extension://${id}`);
  });
});

describe('relay: origin check', () => {
  it.each(strangers)('refuses a preflight from %s with 403 and no CORS grant', async (origin) => {
    const r = await post(t.relay.url, '/message/v1/publish', '', { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type', 'Access-Control-Request-Private-Network': 'true' }, undefined, 'OPTIONS');
    expect(r.status).toBe(403);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('access-control-allow-private-network')).toBeNull();
  });

  it.each(strangers)('refuses a simple POST from %s with 403 and stores nothing, even with a valid token', async (origin) => {
    // text/plain needs no preflight: the browser sends it straight away, so the server must refuse it itself.
    const headers = { Origin: origin, 'Content-Type': 'text/plain', Authorization: `Bearer ${token}` };
    const r = await post(t.relay.url, '/message/v1/publish', { envelopes }, headers);
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: 7, message: expect.stringMatching(/origin/) });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const q = await post(t.relay.url, '/message/v1/query', { contentTopics: [topic] }, { Origin: origin, 'Content-Type': 'text/plain' });
    expect(q.status).toBe(403);
    const s = await post(t.relay.url, '/message/v1/subscribe', { contentTopics: [topic] }, { Origin: origin });
    expect(s.status).toBe(403);
    expect(t.relay.streamCount()).toBe(0);
    const h = await fetch(t.relay.url + '/health', { headers: { Origin: origin } });
    expect(h.status).toBe(403);
    expect(t.relay.envelopeCount()).toBe(0);
  });

  it('serves the extension origin with CORS headers naming exactly that origin', async () => {
    const pre = await post(t.relay.url, '/message/v1/publish', '', { Origin: EXTENSION_ORIGIN, 'Access-Control-Request-Method': 'POST' }, undefined, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
    expect(pre.headers.get('access-control-allow-private-network')).toBeNull();
    const r = await post(t.relay.url, '/message/v1/publish', { envelopes }, { Origin: EXTENSION_ORIGIN, Authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
    expect(t.relay.envelopeCount()).toBe(1);
  });

  it('serves programs, which send no Origin, without any CORS header', async () => {
    const r = await post(t.relay.url, '/message/v1/query', { contentTopics: [topic] });
    expect(r.status).toBe(200);
    expect(r.json.envelopes).toHaveLength(1);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows a configured list of origins instead', async () => {
    const other = await startTestRelay({ allowedOrigins: ['http://127.0.0.1:5173'] });
    try {
      const ok = await post(other.relay.url, '/message/v1/query', { contentTopics: [topic] }, { Origin: 'http://127.0.0.1:5173' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
      const refused = await post(other.relay.url, '/message/v1/query', { contentTopics: [topic] }, { Origin: EXTENSION_ORIGIN });
      expect(refused.status).toBe(403);
    } finally {
      await other.stop();
    }
  });
});
