/**
 * Audit-trail figures (`npm run bench -- --only audit`), on the built extension in Chromium:
 * - audit.append_p50_ms: one audited call's sealed write (buffer in storage.session → sealed row in
 *   IndexedDB → buffer emptied), read from the worker's User Timing measures (extension/audit/record.ts),
 *   beside api.status_p50_ms, the page's whole status round trip measured in the same run. The write
 *   happens after the page has its answer, so it adds to the worker's work, not to the page's wait.
 * - audit.view_10k_ms: open the vault page's Activity tab until the newest lines show, with 10,000
 *   entries in the trail, beside the same with 100.
 * The trail is filled the way a stopped worker leaves it: notes in the storage.session buffer, drained
 * into sealed rows by the next worker start (each note in its own 10-minute window, so none coalesce).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionSession } from '../../test/e2e/harness/extension';
import type { Metric } from './metrics';

const ROOT = resolve(__dirname, '../..');
const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WINDOW_MS = 10 * 60_000;
const SITES = ['https://portal.example', 'https://ehr.example', 'https://lab.example', 'https://pharmacy.example', 'https://insurer.example'];

async function statusTimes(page: Page, runs: number): Promise<number[]> {
  return page.evaluate(async (runs) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await (window as any).securemed.request({ method: 'securemed_status' });
      times.push(performance.now() - t0);
    }
    return times;
  }, runs);
}

/** The worker's sealed-write measures so far (durations of writes of exactly one note). */
async function appendMeasures(session: ExtensionSession): Promise<number[]> {
  const worker = await session.serviceWorker();
  return worker.evaluate(() =>
    performance
      .getEntriesByName('securemed.audit.append')
      .filter((e) => (e as PerformanceMeasure).detail?.notes === 1)
      .map((e) => e.duration),
  );
}

/** `count` notes older than `offset` windows (and younger than the ones before), as a stopped worker leaves them; then a worker start drains them. */
async function fillTrail(session: ExtensionSession, count: number, offset: number): Promise<number> {
  const now = Date.now();
  const notes = Array.from({ length: count }, (_, i) => ({
    method: 'securemed_search',
    origin: SITES[i % SITES.length],
    at: now - (offset + i + 1) * WINDOW_MS,
    outcome: 'allowed',
    resources: 5,
    reads: Array.from({ length: 5 }, (_, j) => `urn:uuid:bench-${i}-${j}`),
  }));
  // A trusted page writes the buffer, the worker is stopped, and the page's next message starts a
  // fresh one, whose start drains the buffer (extension/audit/start.ts).
  const probe = await session.openPage('popup.html');
  await probe.evaluate((n) => (globalThis as any).chrome.storage.session.set({ auditPending: n }), notes);
  await session.stopServiceWorker();
  const t0 = Date.now();
  await probe.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'audit.list', limit: 1 }));
  await probe.waitForFunction(async () => !('auditPending' in (await (globalThis as any).chrome.storage.session.get('auditPending'))), undefined, { timeout: 600_000, polling: 200 });
  await probe.close();
  return Date.now() - t0;
}

/** Open Activity (all sites, all time) until its newest lines are on screen; median of `runs`. */
async function timeActivity(session: ExtensionSession, expectTotal: number, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    const page = await session.openPage('vault.html#activity', { width: 1280, height: 900 });
    await page.getByTestId('activity-list').locator('li').first().waitFor({ timeout: 300_000 });
    times.push(Date.now() - t0);
    const shown = await page.getByTestId('activity-list').locator('li').count();
    const more = expectTotal > shown ? await page.getByRole('button', { name: /Show older/ }).textContent() : '';
    if (shown !== Math.min(expectTotal, 200) || (expectTotal > shown && !more?.includes(`${expectTotal - shown} more`))) {
      throw new Error(`Activity showed ${shown} lines ("${more}") with ${expectTotal} entries in the trail`);
    }
    await page.close();
  }
  return median(times);
}

export async function auditMetrics(): Promise<Metric[]> {
  process.env.SECUREMED_OUT_DIR ??= '.output';
  if (process.env.SECUREMED_SKIP_BUILD !== '1') {
    execFileSync(resolve(ROOT, 'node_modules/.bin/wxt'), ['build'], { cwd: ROOT, stdio: 'ignore', env: process.env });
  }
  const { ExtensionSession } = await import('../../test/e2e/harness/extension');
  const { createVaultByMessages } = await import('./records/vault-bench');
  const { startPortal } = await import('../portal/server');
  const [session, portal] = await Promise.all([ExtensionSession.launch(), startPortal(0)]);
  try {
    await (await createVaultByMessages(session)).close();
    const page = await session.context.newPage();
    await page.goto(portal.url);
    await page.waitForFunction(() => 'securemed' in window, undefined, { timeout: 30_000 });
    await statusTimes(page, 5); // warm the worker and the vault
    const status = median(await statusTimes(page, 50));
    // One call at a time, each waited for until its write is measured: every write is of one note.
    const before = (await appendMeasures(session)).length;
    for (let i = 0; i < 40; i++) {
      await statusTimes(page, 1);
      for (let tries = 0; tries < 200 && (await appendMeasures(session)).length <= before + i; tries++) await new Promise((r) => setTimeout(r, 25));
    }
    const appends = (await appendMeasures(session)).slice(before);
    if (appends.length < 20) throw new Error(`only ${appends.length} audited writes were measured`);
    const append = median(appends);

    await fillTrail(session, 100 - 1, 0); // + the status entry above = 100
    const view100 = await timeActivity(session, 100);
    // storage.session holds 10 MB: the buffer is filled and drained 1,980 notes at a time.
    let drain = 0;
    for (let done = 0; done < 9_900; done += 1_980) drain += await fillTrail(session, 1_980, 100 + done);
    const view10k = await timeActivity(session, 10_000);
    return [
      { name: 'audit.append_p50_ms', value: round(append), unit: 'ms', baseline: { name: 'api.status_p50_ms', value: round(status) } },
      { name: 'audit.drain_9900_ms', value: drain, unit: 'ms' },
      { name: 'audit.view_10k_ms', value: view10k, unit: 'ms', baseline: { name: 'audit.view_100_ms', value: view100 } },
    ];
  } finally {
    await session.close();
    await portal.close();
  }
}
