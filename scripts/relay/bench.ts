// Message round trip through a relay with two real xmtp-js clients: the patient sends, the doctor's
// stream receives. Runs under plain tsx: tsx loads .ts as CommonJS, so xmtp-js resolves to its CJS build
// (dist/index.cjs → @xmtp/proto's CJS build) and the ESM-path problem of @xmtp/proto never arises.
// Standalone: npx tsx scripts/relay/bench.ts [relayUrl] [n]  (without a URL it starts a temp relay).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';
import { startRelay } from './server';

export interface RoundTrip {
  n: number;
  p50: number; // ms, one message at a time: send() called → decoded on the other side's stream
  p95: number;
  sendPerS: number; // burst of n back-to-back sends, counted until the last one is delivered
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function measureRoundTrip(relayUrl: string, n = 200): Promise<RoundTrip> {
  const opts = { env: 'local' as const, apiUrl: relayUrl };
  const [patient, doctor] = await Promise.all([Client.create(Wallet.createRandom(), opts), Client.create(Wallet.createRandom(), opts)]);
  try {
    const out = await patient.conversations.newConversation(doctor.address);
    const inbound = (await doctor.conversations.list()).find((c) => c.topic === out.topic);
    if (!inbound) throw new Error('doctor did not see the conversation');
    const stream = await inbound.streamMessages();

    // One consumer for the stream; `expect(text)` returns a promise resolved when that text arrives.
    const waiting = new Map<string, () => void>();
    let probed: () => void = () => {};
    const live = new Promise<void>((resolve) => (probed = resolve));
    const consume = (async () => {
      for await (const msg of stream) {
        const text = String(msg.content);
        if (text.startsWith('probe-')) probed();
        else waiting.get(text)?.();
      }
    })();
    const expect = (text: string) => new Promise<void>((resolve) => waiting.set(text, resolve));

    // The client subscribes without awaiting the request, and the relay offers no introspection: send
    // probes until one comes back on the stream, which proves the subscription is live.
    let isLive = false;
    void live.then(() => (isLive = true));
    for (let i = 0; !isLive; i++) {
      if (i === 150) throw new Error('the stream never received a probe');
      await out.send(`probe-${i}`);
      await Promise.race([live, new Promise((r) => setTimeout(r, 100))]);
    }

    const latencies: number[] = [];
    for (let i = 0; i < n; i++) {
      const text = `rt-${i}`;
      const arrived = expect(text);
      const t0 = performance.now();
      await out.send(text);
      await arrived;
      latencies.push(performance.now() - t0);
    }

    const burst = Array.from({ length: n }, (_, i) => `burst-${i}`);
    const allArrived = Promise.all(burst.map(expect));
    const t0 = performance.now();
    for (const text of burst) await out.send(text);
    await allArrived;
    const sendPerS = n / ((performance.now() - t0) / 1000);

    await stream.return();
    await consume;
    latencies.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 10) / 10;
    return { n, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), sendPerS: Math.round(sendPerS) };
  } finally {
    await Promise.all([patient.close(), doctor.close()]);
  }
}

// CLI entry (CommonJS under tsx); the typeof checks keep this inert when a test imports the module as ESM.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  const [url, count] = process.argv.slice(2);
  const n = count ? Number(count) : 200;
  (async () => {
    const dataDir = url ? undefined : mkdtempSync(join(tmpdir(), 'securemed-relay-bench-'));
    const relay = dataDir ? await startRelay({ port: 0, dataDir }) : undefined;
    try {
      console.log(JSON.stringify(await measureRoundTrip(url ?? relay!.url, n)));
    } finally {
      await relay?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
