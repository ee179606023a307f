/**
 * Replica figures (`npm run bench`, section "replicas"), on the built extension and three real storage
 * nodes (storage-nodes/, Node 22):
 * - replica.upload_10k_s: a 10,000-record vault (imported through the vault tab in this run, timed as
 *   vault.import_10k_s beside it) uploaded to all three nodes by one replication pass; goal ≤ 2× import;
 * - replica.restore_10k_s: a fresh profile, recovery phrase → vault restored → every row back from the
 *   network (the popup's "Restore from the network" requests); goal ≤ 30 s.
 * The extension is built into SECUREMED_OUT_DIR (default .output) unless SECUREMED_SKIP_BUILD=1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Metric } from './metrics';

const ROOT = resolve(__dirname, '../..');
/** 10,000 by default; SECUREMED_BENCH_REPLICA_N picks another size when profiling (the figures' names stay). */
const N = Number(process.env.SECUREMED_BENCH_REPLICA_N ?? 10_000);
const PASSPHRASE = 'bench passphrase for the replicas';
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

const send = async <T>(page: Page, message: unknown): Promise<T> =>
  page.evaluate(async (m) => {
    const res = await (globalThis as any).chrome.runtime.sendMessage(m);
    if (!res?.ok) throw new Error(res?.error ?? 'no answer');
    return res.result;
  }, message);

/** The worker's `restore.*` User Timing measures (extension/replicas/restore-timing.ts), summed by name. */
async function restoreProfile(session: { serviceWorker(): Promise<{ evaluate<R>(fn: () => R): Promise<R> }> }): Promise<string> {
  const worker = await session.serviceWorker();
  const entries = await worker.evaluate(() => performance.getEntriesByType('measure').filter((m) => m.name.startsWith('restore.')).map((m) => [m.name, m.duration] as const));
  const sums = new Map<string, { ms: number; n: number }>();
  for (const [name, ms] of entries) {
    const sum = sums.get(name) ?? { ms: 0, n: 0 };
    sums.set(name, { ms: sum.ms + ms, n: sum.n + 1 });
  }
  return [...sums].map(([name, { ms, n }]) => `${name.slice('restore.'.length)} ${Math.round(ms)}×${n}`).join(', ');
}

export async function replicaMetrics(): Promise<Metric[]> {
  process.env.SECUREMED_OUT_DIR ??= '.output';
  if (process.env.SECUREMED_SKIP_BUILD !== '1') {
    execFileSync(resolve(ROOT, 'node_modules/.bin/wxt'), ['build'], { cwd: ROOT, stdio: 'ignore', env: process.env });
  }
  const { ExtensionSession } = await import('../../test/e2e/harness/extension');
  const { importThroughTab } = await import('./records/vault-bench');
  const { startStorageNode } = await import('../../storage-nodes/launch');
  const root = mkdtempSync(join(tmpdir(), 'securemed-bench-nodes-'));
  const nodes = await Promise.all([1, 2, 3].map((i) => startStorageNode({ dir: join(root, `node-${i}`) })));
  const storageNodes = nodes.map((n) => ({ url: n.url }));
  let session = await ExtensionSession.launch();
  try {
    const page = await session.openPage('vault.html', { width: 1280, height: 900 });
    const { words } = await send<{ words: string[] }>(page, { type: 'vault.create.begin' });
    await send(page, { type: 'vault.create.finish', passphrase: PASSPHRASE, confirmations: [0, 5, 11].map((index) => ({ index, word: words[index] })) });
    const { settings } = await send<{ settings: Record<string, unknown> }>(page, { type: 'settings.get' });
    await send(page, { type: 'settings.save', settings: { ...settings, storageNodes }, confirmNetworkChange: false });
    await page.reload();
    const importS = await importThroughTab(page, N);

    const t0 = Date.now();
    const status = await send<{ current: number; total: number }>(page, { type: 'replicas.sync' });
    const uploadS = (Date.now() - t0) / 1000;
    console.log(`replicas bench: import ${importS} s, upload ${uploadS} s (${JSON.stringify(status)})`);
    if (status.current !== 3) throw new Error(`only ${status.current} of 3 nodes current after the upload`);
    const source = await send<{ total: number }>(page, { type: 'records.summary' });
    await session.close();

    session = await ExtensionSession.launch();
    const fresh = await session.openPage('popup.html');
    const t1 = Date.now();
    await send(fresh, { type: 'vault.restore', phrase: words.join(' '), passphrase: PASSPHRASE });
    const steps = [`phrase ${(Date.now() - t1) / 1000} s`];
    const begun = await send<{ total: number }>(fresh, { type: 'replicas.restore.begin', nodes: storageNodes });
    steps.push(`begin ${(Date.now() - t1) / 1000} s`);
    let offset = 0;
    for (;;) {
      const step = await send<{ next: number; done: boolean }>(fresh, { type: 'replicas.restore.next', offset });
      offset = step.next;
      steps.push(`${offset} ${(Date.now() - t1) / 1000} s`);
      if (step.done) break;
    }
    const restoreS = (Date.now() - t1) / 1000;
    console.log(`replicas bench: restore steps ${steps.join(', ')}`);
    console.log(`replicas bench: restore profile (sum ms × count; fetch/open overlap the writes) ${await restoreProfile(session)}`);
    const summary = await send<{ total: number }>(fresh, { type: 'records.summary' });
    if (summary.total !== source.total) throw new Error(`restored ${summary.total} records of ${source.total} (${begun.total} rows)`);
    console.log(`replicas bench: ${source.total} records, ${begun.total} rows; import ${importS} s, upload ${uploadS} s, restore ${restoreS} s`);
    return [
      { name: 'replica.upload_10k_s', value: round(uploadS), unit: 's', baseline: { name: 'vault.import_10k_s', value: round(importS) }, goal: '≤ 2× import', ok: uploadS <= 2 * importS },
      { name: 'replica.restore_10k_s', value: round(restoreS), unit: 's', goal: '≤ 30', ok: restoreS <= 30 },
    ];
  } finally {
    await session.close();
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(root, { recursive: true, force: true });
  }
}

// `npx tsx scripts/bench/replicas.ts` runs this section alone.
if (require.main === module) {
  void replicaMetrics().then(
    async (m) => {
      const { toTable } = await import('./metrics');
      console.log(toTable(m));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
