/**
 * `npm run bench`: every figure from a real run on this machine, printed beside its baseline.
 * `npm run bench -- --json` prints one flat JSON object of named metrics instead of the table.
 * Sections can be chosen: `npm run bench -- --only popup,gas`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Metric, toJson, toTable } from './metrics';
import { contentScriptMetrics } from './content-size';
import { popupBundleMetrics } from './popup-size';

const ROOT = resolve(__dirname, '../..');
const json = process.argv.includes('--json');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1].split(',')) : undefined;

type Section = { name: string; run: () => Promise<Metric[]> };

const sections: Section[] = [
  {
    name: 'popup',
    run: async () => popupBundleMetrics(join(ROOT, process.env.SECUREMED_OUT_DIR ?? '.output', 'chrome-mv3')),
  },
  {
    name: 'content',
    run: async () => contentScriptMetrics(join(ROOT, process.env.SECUREMED_OUT_DIR ?? '.output', 'chrome-mv3')),
  },
  {
    name: 'records',
    run: async () => {
      const { recordsMetrics } = await import('./records');
      return recordsMetrics();
    },
  },
  {
    // The page API: status round trip, a permitted 50-record search and 1,000 with paging (10,000-record vault).
    name: 'api',
    run: async () => {
      const { apiMetrics } = await import('./api');
      return apiMetrics();
    },
  },
  {
    // The audit trail: one audited call's sealed write beside the status round trip; Activity with 10,000 entries.
    name: 'audit',
    run: async () => {
      const { auditMetrics } = await import('./audit');
      return auditMetrics();
    },
  },
  {
    // 10,000 records to three storage nodes and back into a fresh profile (storage-nodes/ must be installed).
    name: 'replicas',
    run: async () => {
      const { replicaMetrics } = await import('./replicas');
      return replicaMetrics();
    },
  },
  {
    // Click "Allow" → the grant on the local chain (pairwise account, queue, relayer), median of 10.
    name: 'consent',
    run: async () => {
      const { consentMetrics } = await import('./consent');
      return consentMetrics();
    },
  },
  {
    name: 'gas',
    run: async () => {
      const { gasMetricRows } = await import('./gas-rows');
      return gasMetricRows();
    },
  },
  {
    name: 'relayer',
    run: async () => {
      // A signed grant from POST to "confirmed" through the relayer on a local Hardhat node, median of 20.
      const { relayerMetrics } = await import('../relayer/bench');
      const r = await relayerMetrics(20);
      return [{ name: 'relayer.submit_to_confirmed_ms', value: round(r.submitToConfirmedMs), unit: 'ms' }];
    },
  },
  {
    // Tamper evidence: a 1,000-record batch through the relayer, one record's check, 10,000 records' checks, signed-anchor gas.
    name: 'anchor',
    run: async () => {
      const { anchorMetrics } = await import('./anchor');
      return anchorMetrics();
    },
  },
  {
    name: 'messaging',
    run: async () => {
      const { startRelay } = await import('../relay/server');
      const { measureRoundTrip } = await import('../relay/bench');
      const dataDir = mkdtempSync(join(tmpdir(), 'securemed-bench-relay-'));
      const relay = await startRelay({ port: 0, dataDir });
      try {
        const rt = await measureRoundTrip(relay.url, 200);
        // The extension's network (one subscription, lazy clients) with 1 and with 8 counterparties.
        const { measureIdentityScaling, measureWorkerHeap } = await import('./messaging');
        const { one, eight } = await measureIdentityScaling(100);
        const worker = await measureWorkerHeap(relay.url); // the same code in the extension's real service worker
        const cp = (name: string, n: number) => `messaging.${name}.counterparties_${n}`;
        return [
          { name: 'messaging.rtt_p50_ms', value: round(rt.p50), unit: 'ms', goal: '≤ 150', ok: rt.p50 <= 150 },
          { name: 'messaging.rtt_p95_ms', value: round(rt.p95), unit: 'ms', goal: '≤ 400', ok: rt.p95 <= 400 },
          { name: 'messaging.send_per_s', value: round(rt.sendPerS), unit: 'msg/s' },
          { name: cp('rtt_p50_ms', 1), value: one.p50, unit: 'ms' },
          { name: cp('rtt_p50_ms', 8), value: eight.p50, unit: 'ms', baseline: { name: cp('rtt_p50_ms', 1), value: one.p50 } },
          { name: cp('rtt_p95_ms', 8), value: eight.p95, unit: 'ms', baseline: { name: cp('rtt_p95_ms', 1), value: one.p95 } },
          { name: cp('heap_MB', 8), value: eight.heapMB, unit: 'MB', baseline: { name: cp('heap_MB', 1), value: one.heapMB } },
          { name: cp('worker_heap_MB', 8), value: worker.eight, unit: 'MB', baseline: { name: cp('worker_heap_MB', 1), value: worker.one } },
        ];
      } finally {
        await relay.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'relay',
    run: async () => {
      // HTTP level, real auth token, quotas lifted: 100,000 stored envelopes on 100 topics, pages of 100.
      const { measureLoadOnFreshRelay } = await import('../relay/bench-load');
      const f = await measureLoadOnFreshRelay(100_000);
      return [
        { name: 'relay.publish_per_s', value: f.publishPerS, unit: 'envelopes/s' },
        { name: 'relay.query_p95_ms', value: round(f.queryP95Ms), unit: 'ms' },
        { name: 'relay.query_p50_ms', value: round(f.queryP50Ms), unit: 'ms' },
      ];
    },
  },
];

const round = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const metrics: Metric[] = [];
  // Build the extension once for every section that measures it, from this checkout.
  if (process.env.SECUREMED_SKIP_BUILD !== '1' && (!only || only.has('popup') || only.has('content') || only.has('records') || only.has('api') || only.has('audit') || only.has('consent'))) {
    if (!json) process.stderr.write('building the extension…\n');
    execFileSync(join(ROOT, 'node_modules/.bin/wxt'), ['build'], { cwd: ROOT, stdio: 'ignore' });
    process.env.SECUREMED_SKIP_BUILD = '1';
  }
  for (const section of sections) {
    if (only && !only.has(section.name)) continue;
    if (!json) process.stderr.write(`measuring ${section.name}…\n`);
    metrics.push(...(await section.run()));
  }
  console.log(json ? JSON.stringify(toJson(metrics)) : toTable(metrics));
  // xmtp-js keeps timers alive after close(); the figures are printed, so end here.
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
