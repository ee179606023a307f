// The patient's side of messaging with many counterparties, on the extension's own code (xmtp-network.ts:
// one subscription, batched reads, clients made lazily), against a real relay and real xmtp-js doctors.
// Round trip: the patient sends from the identity made for doctor k, doctor k's stream receives it and
// answers at once, the patient's one subscription delivers the answer. Round-robin over the doctors.
// Heap: the Node heap the patient's network holds once every identity's client is live (after a GC),
// beside the same measured with one counterparty — the same code runs in the extension's worker.
// Worker heap: the same, but inside the built extension's real service worker in Chromium (CDP
// Runtime.getHeapUsage after HeapProfiler.collectGarbage), with 1 then 8 counterparties' clients live.
// Standalone: npx tsx scripts/bench/messaging.ts [counterparties] [n]   (worker heap: … worker)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';
import type { IdentityKeys, Messenger, NetworkEvents, PortConversation } from '../../extension/messaging/port';
import { xmtpNetwork } from '../../extension/messaging/xmtp-network';
import { deriveRelationshipMessagingAccount } from '../../shared/crypto/identity';
import { startRelay } from '../relay/server';

export interface CounterpartyFigures {
  counterparties: number;
  n: number;
  p50: number;
  p95: number;
  /** MB of Node heap held by the patient's network with every identity live (GC before both readings). */
  heapMB: number;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

export async function measureCounterparties(relayUrl: string, counterparties: number, n = 100): Promise<CounterpartyFigures> {
  const seed = new Uint8Array(randomBytes(64));
  const identities: IdentityKeys[] = Array.from({ length: counterparties }, (_, i) => {
    const a = deriveRelationshipMessagingAccount(seed, i);
    return { address: a.address.toLowerCase(), privateKey: a.privateKey };
  });
  const opts = { env: 'local' as const, apiUrl: relayUrl };
  const doctors = await Promise.all(identities.map(() => Client.create(Wallet.createRandom(), opts)));
  const streams = await Promise.all(doctors.map((d) => d.conversations.streamAllMessages()));
  // Each doctor answers every message at once ("ack <text>") on its own stream.
  const answering = streams.map((stream, i) =>
    (async () => {
      for await (const m of stream) {
        if (m.senderAddress !== doctors[i]!.address && typeof m.content === 'string') await m.conversation.send(`ack ${m.content}`);
      }
    })().catch(() => undefined),
  );

  const waiting = new Map<string, () => void>();
  const events: NetworkEvents = {
    known: async () => false,
    message: async (_me, m) => {
      if (m.content.type === 'text') waiting.get(m.content.text)?.();
    },
    conversation: async () => undefined,
    invites: async () => undefined,
  };
  const bundles = new Map<string, Uint8Array>();
  const before = heapUsed();
  const patient = xmtpNetwork({ url: relayUrl, bundles: { load: async (a) => bundles.get(a), save: async (a, b) => void bundles.set(a, b) } });
  try {
    await patient.follow(identities.map((identity) => ({ identity, conversations: [] })), events, () => undefined);
    const writers: Array<{ messenger: Messenger; conversation: PortConversation }> = [];
    for (const [i, identity] of identities.entries()) {
      const messenger = await patient.messenger(identity);
      writers.push({ messenger, conversation: await messenger.open(doctors[i]!.address) });
    }
    const roundTrip = async (k: number, text: string) => {
      const answered = new Promise<void>((resolve) => waiting.set(`ack ${text}`, resolve));
      const t0 = performance.now();
      await writers[k]!.messenger.send(writers[k]!.conversation, { type: 'text', text });
      await answered;
      return performance.now() - t0;
    };
    // Doctors subscribe without awaiting and pick up new conversations from invitations: probe each
    // counterparty until an answer comes back, which proves both streams are live.
    for (let k = 0; k < counterparties; k++) {
      for (let i = 0; ; i++) {
        if (i === 100) throw new Error(`counterparty ${k} never answered`);
        const ok = await Promise.race([roundTrip(k, `probe-${k}-${i}`).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300))]);
        if (ok) break;
      }
    }
    const latencies: number[] = [];
    for (let i = 0; i < n; i++) latencies.push(await roundTrip(i % counterparties, `rt-${i}`));
    const heapMB = (heapUsed() - before) / (1024 * 1024);
    latencies.sort((a, b) => a - b);
    return { counterparties, n, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), heapMB: round(heapMB) };
  } finally {
    await patient.close();
    await Promise.all(streams.map((s) => s.return(undefined)));
    await Promise.all(answering);
    await Promise.all(doctors.map((d) => d.close()));
  }
}

export interface WorkerHeapFigures {
  /** MB of JS heap in the extension's service worker after a GC, with that many counterparties' clients live. */
  one: number;
  eight: number;
}

/**
 * The background's heap in the real extension: one Chromium profile with the built extension (built
 * into SECUREMED_OUT_DIR unless SECUREMED_SKIP_BUILD=1), a vault pointed at `relayUrl`, eight real
 * xmtp-js doctors. The patient starts a conversation with doctor 1 and sends (its relationship
 * identity's client is made), the heap is read; then doctors 2–8 the same way, and it is read again.
 */
export async function measureWorkerHeap(relayUrl: string): Promise<WorkerHeapFigures> {
  const root = join(__dirname, '../..');
  process.env.SECUREMED_OUT_DIR ??= '.output';
  if (process.env.SECUREMED_SKIP_BUILD !== '1') {
    execFileSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, stdio: 'ignore', env: process.env });
  }
  const { ExtensionSession } = await import('../../test/e2e/harness/extension');
  const session = await ExtensionSession.launch();
  const doctors = await Promise.all(Array.from({ length: 8 }, () => Client.create(Wallet.createRandom(), { env: 'local', apiUrl: relayUrl })));
  try {
    const page = await session.openPage('messages.html');
    const ask = <T>(message: unknown): Promise<T> =>
      page.evaluate(async (m) => {
        const res = await (globalThis as any).chrome.runtime.sendMessage(m);
        if (!res?.ok) throw new Error(JSON.stringify(res?.error ?? 'no answer'));
        return res.result;
      }, message);
    const { words } = await ask<{ words: string[] }>({ type: 'vault.create.begin' });
    await ask({ type: 'vault.create.finish', passphrase: 'bench passphrase for messaging', confirmations: [0, 5, 11].map((index) => ({ index, word: words[index] })) });
    const { settings } = await ask<{ settings: Record<string, unknown> }>({ type: 'settings.get' });
    await ask({ type: 'settings.save', settings: { ...settings, messagingUrl: relayUrl }, confirmNetworkChange: true });
    const talkTo = async (doctor: string) => {
      const { threadId } = await ask<{ threadId: string }>({ type: 'messaging.start', peer: doctor });
      const { delivery } = await ask<{ delivery: string }>({ type: 'messaging.send', threadId, content: { type: 'text', text: 'bench' } });
      if (delivery !== 'sent') throw new Error(`a bench message was not sent (${delivery})`);
    };
    const worker = await workerHeapReader(session);
    await talkTo(doctors[0]!.address);
    const one = await worker.heapMB();
    for (const d of doctors.slice(1)) await talkTo(d.address);
    const eight = await worker.heapMB();
    // A worker restarted between the readings would compare two different heaps.
    if (!(await worker.alive())) throw new Error('the service worker restarted between the two heap readings');
    return { one: round(one), eight: round(eight) };
  } finally {
    await Promise.all(doctors.map((d) => d.close()));
    await session.close();
  }
}

/** Reads the extension service worker's heap over CDP (a page's session, attached to the worker target). */
async function workerHeapReader(session: { context: import('playwright-core').BrowserContext; extensionId: string }) {
  const page = await session.context.newPage();
  const cdp = await session.context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(session.extensionId));
  if (!target) throw new Error('the extension service worker is not running');
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  let next = 0;
  let detached = false;
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number; result?: Record<string, unknown> };
    if (m.id !== undefined) pending.get(m.id)?.(m.result ?? {});
  });
  cdp.on('Target.detachedFromTarget', (e: { sessionId: string }) => void (e.sessionId === sessionId && (detached = true)));
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  return {
    heapMB: async () => {
      for (let i = 0; i < 3; i++) await call('HeapProfiler.collectGarbage');
      return ((await call('Runtime.getHeapUsage')).usedSize as number) / (1024 * 1024);
    },
    alive: async () => !detached,
  };
}

/** 1 and 8 counterparties on one fresh relay, in that order. */
export async function measureIdentityScaling(n = 100): Promise<{ one: CounterpartyFigures; eight: CounterpartyFigures }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'securemed-bench-identities-'));
  const relay = await startRelay({ port: 0, dataDir });
  try {
    // Warm-up, discarded: the first run pays one-time costs (modules, caches) that would land in its heap.
    await measureCounterparties(relay.url, 1, 10);
    const one = await measureCounterparties(relay.url, 1, n);
    const eight = await measureCounterparties(relay.url, 8, n);
    return { one, eight };
  } finally {
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// CLI entry (CommonJS under tsx); the typeof checks keep this inert when a test imports the module as ESM.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  const [count, n] = process.argv.slice(2).map(Number);
  (async () => {
    if (process.argv[2] === 'worker') {
      const dataDir = mkdtempSync(join(tmpdir(), 'securemed-bench-identities-'));
      const relay = await startRelay({ port: 0, dataDir });
      try {
        return console.log(JSON.stringify(await measureWorkerHeap(relay.url)));
      } finally {
        await relay.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    if (!count) return console.log(JSON.stringify(await measureIdentityScaling(n || 100)));
    const dataDir = mkdtempSync(join(tmpdir(), 'securemed-bench-identities-'));
    const relay = await startRelay({ port: 0, dataDir });
    try {
      console.log(JSON.stringify(await measureCounterparties(relay.url, count, n || 100)));
    } finally {
      await relay.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
