// Start/stop a relay for a test: free port, temp data dir, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay, type Relay, type RelayOptions } from '../../../scripts/relay/server';

export interface TestRelay {
  relay: Relay;
  dataDir: string;
  /** Stops the relay and starts a new one on the same port and data dir (a process restart). */
  restart(): Promise<Relay>;
  stop(): Promise<void>;
}

/** `options` (limits, clock, origins…) apply to the first start and to every restart. */
export async function startTestRelay(options: Omit<RelayOptions, 'dataDir' | 'port'> = {}): Promise<TestRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'securemed-relay-'));
  const t: TestRelay = {
    relay: await startRelay({ ...options, port: 0, dataDir }),
    dataDir,
    async restart() {
      await t.relay.close();
      t.relay = await startRelay({ ...options, port: t.relay.port, dataDir });
      return t.relay;
    },
    async stop() {
      await t.relay.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Polls until `cond` holds: streams subscribe asynchronously, so tests wait for the relay to see them. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * POSTs raw JSON (or a raw string) to a relay endpoint and returns status, parsed body and headers.
 * Uses a fresh connection per call (agent: false): after a relay restart inside this same process,
 * a pooled keep-alive socket can still look open to fetch() and fail with "other side closed".
 * `from` picks the source address (any 127.x.y.z works on Linux): a second "client IP" on loopback.
 */
export function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}, from?: string, method = 'POST') {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise<{ status: number; json: any; headers: Headers }>((resolve, reject) => {
    const options = { method, agent: false, localAddress: from, headers: { ...headers, 'Content-Length': Buffer.byteLength(data) } };
    const req = request(url + path, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let json: any;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          json = undefined;
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, json, headers: h });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}
