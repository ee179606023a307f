// The relay's bounds: publish quotas per identity, wallet and IP (429, and the data file stops growing),
// a storage cap, retention with compaction across a restart, and a cap on open streams that leaves
// legitimate clients served. Other client IPs come from binding to 127.0.0.x (Linux routes all of them).
import { readFileSync, statSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { Client } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { newIdentity, type XmtpIdentity } from '../../scripts/relay/identity';
import { post, startTestRelay, waitFor, type TestRelay } from './helpers/relay';

const KB = 1024;
let n = 0;
const envelope = (topic: string, bytes = KB) => ({ contentTopic: topic, timestampNs: String(1_700_000_000_000_000_000n + BigInt(n++)), message: Buffer.alloc(bytes, n % 256).toString('base64') });

async function publishAs(t: TestRelay, who: XmtpIdentity, bytes = KB, from?: string) {
  return post(t.relay.url, '/message/v1/publish', { envelopes: [envelope('/xmtp/0/m-bounds/proto', bytes)] }, { Authorization: `Bearer ${await who.token()}` }, from);
}

async function withRelay(options: Parameters<typeof startTestRelay>[0], body: (t: TestRelay) => Promise<void>) {
  const t = await startTestRelay(options);
  try {
    await body(t);
  } finally {
    await t.stop();
  }
}

const noRefill = { bytesPerS: 1 };

describe('relay: publish quotas', () => {
  it('answers 429 past the per-identity quota, and the data file stops growing', () =>
    withRelay({ limits: { identity: { bytesBurst: 20 * KB, ...noRefill } } }, async (t) => {
      const abuser = await newIdentity();
      let accepted = 0;
      let r = await publishAs(t, abuser);
      while (r.status === 200) {
        accepted++;
        r = await publishAs(t, abuser);
      }
      expect(r.status).toBe(429);
      expect(r.json).toMatchObject({ code: 8, message: expect.stringMatching(/quota/) });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(accepted).toBe(16); // 20 KiB ÷ (1 KiB + 256 bytes of overhead per envelope)

      const size = statSync(t.relay.dataFile).size;
      for (let i = 0; i < 20; i++) expect((await publishAs(t, abuser)).status).toBe(429);
      expect(statSync(t.relay.dataFile).size).toBe(size);
      expect(t.relay.envelopeCount()).toBe(accepted);

      // Someone else is not affected.
      expect((await publishAs(t, await newIdentity())).status).toBe(200);
    }));

  it('counts every identity key of one wallet against that wallet', () =>
    withRelay({ limits: { wallet: { bytesBurst: 10 * KB, ...noRefill } } }, async (t) => {
      const wallet = Wallet.createRandom() as unknown as Wallet;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await publishAs(t, await newIdentity(wallet))).status);
      expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
      expect(statuses.slice(8)).toEqual(Array(4).fill(429));
    }));

  it('counts fresh wallets from one address against that address; other addresses are served', () =>
    withRelay({ limits: { ip: { bytesBurst: 10 * KB, ...noRefill } } }, async (t) => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await publishAs(t, await newIdentity(), KB, '127.0.0.3')).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(8);
      expect(statuses.slice(8)).toEqual(Array(4).fill(429));
      expect((await publishAs(t, await newIdentity(), KB, '127.0.0.1')).status).toBe(200);
    }));

  it('refuses publishes once its storage cap is reached, whoever sends them', () =>
    withRelay({ limits: { maxStoredBytes: 5 * KB } }, async (t) => {
      for (let i = 0; i < 5; i++) expect((await publishAs(t, await newIdentity())).status).toBe(200);
      const r = await publishAs(t, await newIdentity());
      expect(r.status).toBe(429);
      expect(r.json.message).toMatch(/full/);
    }));
});

describe('relay: retention', () => {
  it('drops envelopes past the retention period across a restart, compacting its 0600 data file', async () => {
    const day = 24 * 60 * 60 * 1000;
    let clock = Date.now();
    await withRelay({ now: () => clock, limits: { retentionMs: 30 * day } }, async (t) => {
      const who = await newIdentity();
      const token = async () => ({ Authorization: `Bearer ${await who.token(new Date(clock))}` });
      const topic = '/xmtp/0/m-retention/proto';
      await post(t.relay.url, '/message/v1/publish', { envelopes: [envelope(topic), envelope(topic)] }, await token());
      clock += 20 * day;
      await post(t.relay.url, '/message/v1/publish', { envelopes: [envelope(topic)] }, await token());
      expect(t.relay.envelopeCount()).toBe(3);
      const lines = () => (statSync(t.relay.dataFile).size === 0 ? 0 : readFileSync(t.relay.dataFile, 'utf8').trim().split('\n').length);
      expect(lines()).toBe(3);

      clock += 11 * day; // the first two are now 31 days old, the last 11 days
      await t.restart();
      expect(t.relay.envelopeCount()).toBe(1);
      expect(lines()).toBe(1);
      expect(statSync(t.relay.dataFile).mode & 0o777).toBe(0o600);
      expect(statSync(t.dataDir).mode & 0o077).toBe(0);
      const q = await post(t.relay.url, '/message/v1/query', { contentTopics: [topic] });
      expect(q.json.envelopes).toHaveLength(1);

      clock += 20 * day; // the periodic sweep (run here directly) drops the last one too
      expect(t.relay.expireNow()).toBe(1);
      expect(lines()).toBe(0);
      await t.restart();
      expect(t.relay.envelopeCount()).toBe(0);
    });
  });
});

/** Opens a subscribe stream from `from`; resolves with its status once the headers arrive. */
function openStream(url: string, from: string): Promise<{ status: number; req: ClientRequest }> {
  const body = JSON.stringify({ contentTopics: ['/xmtp/0/m-flood/proto'] });
  return new Promise((resolve, reject) => {
    const req = request(url + '/message/v1/subscribe', { method: 'POST', agent: false, localAddress: from, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, req });
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end(body);
  });
}

describe('relay: open streams', () => {
  it('caps 1,000 streams from one address and keeps serving two real xmtp-js clients', () =>
    withRelay({}, async (t) => {
      const opened = await Promise.all(Array.from({ length: 1000 }, () => openStream(t.relay.url, '127.0.0.2')));
      try {
        const ok = opened.filter((s) => s.status === 200).length;
        expect(ok).toBe(200); // maxStreamsPerIp
        expect(opened.filter((s) => s.status === 429)).toHaveLength(800);
        expect(t.relay.streamCount()).toBe(200);

        const opts = { env: 'local' as const, apiUrl: t.relay.url };
        const [patient, doctor] = await Promise.all([Client.create(Wallet.createRandom(), opts), Client.create(Wallet.createRandom(), opts)]);
        try {
          const out = await patient.conversations.newConversation(doctor.address);
          const inbound = (await doctor.conversations.list()).find((c) => c.topic === out.topic)!;
          const stream = await inbound.streamMessages();
          await waitFor(() => t.relay.subscriberCount(out.topic) === 1, "the doctor's stream");
          await out.send('still served');
          expect((await stream.next()).value?.content).toBe('still served');
          await stream.return();
          expect((await inbound.messages()).map((m) => m.content)).toEqual(['still served']);
        } finally {
          await Promise.all([patient.close(), doctor.close()]);
        }
      } finally {
        for (const s of opened) s.req.destroy();
      }
      await waitFor(() => t.relay.streamCount() === 0, 'flood streams to close');
    }));

  it('caps the total across addresses too', () =>
    withRelay({ limits: { maxStreams: 50, maxStreamsPerIp: 40 } }, async (t) => {
      const opened = await Promise.all(['127.0.0.4', '127.0.0.5'].flatMap((ip) => Array.from({ length: 40 }, () => openStream(t.relay.url, ip))));
      try {
        expect(opened.filter((s) => s.status === 200)).toHaveLength(50);
        expect(t.relay.streamCount()).toBe(50);
      } finally {
        for (const s of opened) s.req.destroy();
      }
    }));
});
