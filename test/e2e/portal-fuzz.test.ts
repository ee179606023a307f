import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ProviderErrorCode } from '../../shared/protocol/errors';
import type { Portal } from '../../scripts/portal/server';
import { answerApproval } from './harness/approval';
import type { ExtensionSession } from './harness/extension';
import { clickRequest, eventsText } from './flows/consent';
import { startPortalWorld, vaultWithRecords, type PortalWorld } from './flows/portal-world';

/**
 * Fuzzing the page API from a connected page that holds a permission: at least 1,000 malformed
 * requests (wrong types, huge and deeply nested payloads, cyclic and BigInt params, prototype-pollution
 * keys, unknown methods, raw channel messages, bursts), generated in the page from a printed seed
 * (SECUREMED_FUZZ_SEED=<n> replays a run). Each must be refused with a proper EIP-1193 error (a numeric
 * code from the table and a message), the background must keep answering, and the vault and the
 * site's permissions must be exactly as before.
 */
const SEED = Number(process.env.SECUREMED_FUZZ_SEED ?? Date.now() % 2 ** 31);
const COUNT = 1_200;

interface FuzzOutcome {
  label: string;
  settled: 'rejected' | 'resolved' | 'timeout';
  code?: unknown;
  message?: unknown;
}

/** Runs inside the page: no outer references. Returns one outcome per request. */
async function fuzzInPage(args: { seed: number; count: number }): Promise<FuzzOutcome[]> {
  let s = args.seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const provider = (window as any).securemed;
  const junkValues = (): unknown[] => [
    null, true, 0, -1, 1e308, Number.NaN, '', 'x'.repeat(Math.floor(rand() * 300)), [], [1, 'a', null], {}, { a: { b: { c: 1 } } },
    BigInt(Math.floor(rand() * 1e9)), new Date(), /re/g, new Uint8Array(8), new Map([[1, 2]]),
  ];
  const cyclic = () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return { grantee: o };
  };
  const deep = (depth: number) => {
    let v: unknown = 'bottom';
    for (let i = 0; i < depth; i++) v = rand() < 0.5 ? [v] : { d: v };
    return v;
  };
  const pollution = () =>
    JSON.parse(pick([
      '{"__proto__": {"polluted": true}}',
      '{"constructor": {"prototype": {"polluted": true}}}',
      '{"grantee": "0x0000000000000000000000000000000000000001", "__proto__": {"isAdmin": true}}',
      '{"_type": "Observation", "__proto__": {"_count": 5}}',
      '{"prototype": 1, "toString": "x", "hasOwnProperty": 2}',
    ]));
  const badSearch = () =>
    pick<() => unknown>([
      () => ({ _count: pick(['10', -1, 1e9, 1.5, true, null]) }),
      () => ({ _type: pick([1, ['Observation'], 'Practitioner', '', 'Observation,' + 'X'.repeat(3000)]) }),
      () => ({ date: pick(['sa2020', 'ge2021-02-30', 'yesterday', ['ge2020', 'le2021', 'gt2019', 'lt2022', 'eq2020'], 2020]) }),
      () => ({ code: pick(['|', 'a|b|c', '', 'x'.repeat(3000), 42]) }),
      () => ({ _summary: pick(['true', 'data', 1]) }),
      () => ({ _offset: pick([-5, '5', 2 ** 40]) }),
      () => ({ unknownKey: 1 }),
      () => ({ grantee: pick(['0x123', 'not an address', 7]) }),
      () => pick(['Observation', 42, [], [{}], true]),
    ])();
  const badRevoke = () =>
    pick<() => unknown>([
      () => ({ grantee: pick(['0x123', '', 'zz'.repeat(20), 12, null]) }),
      () => ({ grantee: '0x' + '1'.repeat(40), extra: true }),
      () => pick(['all', 42, [], true, { grantees: [] }]),
    ])();

  type Req = { label: string; run: () => Promise<unknown> };
  const call = (method: unknown, params?: unknown): (() => Promise<unknown>) => () => provider.request({ method, params });
  const makers: Array<() => Req> = [
    () => ({ label: 'wrong method type', run: call(pick([42, null, {}, [], true, undefined, BigInt(1)])) }),
    () => ({ label: 'unknown method', run: call(pick(['eth_sendTransaction', 'securemed_sign', 'securemed_submitt', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'securemed_' + 'x'.repeat(80), '', ' '.repeat(3)]), pick(junkValues())) }),
    () => ({ label: 'search: wrong params', run: call('securemed_search', badSearch()) }),
    () => ({ label: 'revoke: wrong params', run: call('securemed_revokePermissions', badRevoke()) }),
    () => ({ label: 'requestPermissions without a gesture', run: call('securemed_requestPermissions', pick([...junkValues(), { grantee: '0x' + '2'.repeat(40), scopes: ['patient/*.rs'], purpose: 'TREAT', durationDays: 365 }])) }),
    () => ({ label: 'cyclic params', run: call(pick(['securemed_search', 'securemed_revokePermissions', 'securemed_nope']), cyclic()) }),
    () => ({ label: 'BigInt params', run: call(pick(['securemed_search', 'securemed_revokePermissions']), { _count: BigInt(5), grantee: BigInt(1) }) }),
    () => ({ label: 'huge params', run: call(pick(['securemed_search', 'securemed_revokePermissions', 'securemed_x']), { code: 'x'.repeat(70_000 + Math.floor(rand() * 50_000)) }) }),
    () => ({ label: 'huge array', run: call('securemed_search', new Array(20_000 + Math.floor(rand() * 20_000)).fill(7)) }),
    () => ({ label: 'deep nesting', run: call(pick(['securemed_search', 'securemed_revokePermissions', 'securemed_x']), deep(200 + Math.floor(rand() * 5_000))) }),
    () => ({ label: 'prototype-pollution keys', run: call(pick(['securemed_search', 'securemed_revokePermissions']), pollution()) }),
    () => ({ label: 'raw channel message', run: () => raw() }),
  ];

  /** A message straight onto the page channel, bypassing the provider, with an id we then listen for. */
  function raw(): Promise<unknown> {
    const id = 'raw-' + Math.floor(rand() * 1e12);
    const body = pick<() => unknown>([
      () => ({ channel: 'securemed', direction: 'to-extension', id, request: { method: 'securemed_search', params: {}, extra: 1 } }),
      () => ({ channel: 'securemed', direction: 'to-extension', id, request: 'securemed_search' }),
      () => ({ channel: 'securemed', direction: 'to-extension', id, request: { method: 'securemed_search', params: { _count: 'x' } }, more: 1 }),
      () => ({ channel: 'securemed', direction: 'to-extension', id, request: { method: 7 } }),
    ])();
    return new Promise((resolve, reject) => {
      const onMessage = (e: MessageEvent) => {
        const d = e.data;
        if (d?.channel !== 'securemed' || d.direction !== 'to-page' || d.id !== id) return;
        window.removeEventListener('message', onMessage);
        if (d.error) reject(d.error);
        else resolve(d.result);
      };
      window.addEventListener('message', onMessage);
      window.postMessage(body, '*');
    });
  }

  const settle = async (req: Req): Promise<FuzzOutcome> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<FuzzOutcome>((resolve) => (timer = setTimeout(() => resolve({ label: req.label, settled: 'timeout' }), 60_000)));
    const outcome = (async (): Promise<FuzzOutcome> => {
      try {
        await req.run();
        return { label: req.label, settled: 'resolved' };
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown };
        return { label: req.label, settled: 'rejected', code: err?.code, message: err?.message };
      }
    })();
    const out = await Promise.race([outcome, timeout]);
    clearTimeout(timer);
    return out;
  };

  const results: FuzzOutcome[] = [];
  while (results.length < args.count) {
    // Bursts: sometimes one request, sometimes up to 100 in the same tick.
    const size = Math.min(args.count - results.length, rand() < 0.2 ? 50 + Math.floor(rand() * 51) : 1 + Math.floor(rand() * 10));
    const batch = Array.from({ length: size }, () => pick(makers)());
    results.push(...(await Promise.all(batch.map(settle))));
  }
  return results;
}

describe('page API fuzz: malformed requests get EIP-1193 errors and change nothing', () => {
  let world: PortalWorld;
  let patient: ExtensionSession;
  let portal: Portal;
  let page: Page;

  beforeAll(async () => {
    console.log(`portal fuzz seed: ${SEED} (replay with SECUREMED_FUZZ_SEED=${SEED})`);
    world = await startPortalWorld();
    ({ patient, portal } = world);
  }, 180_000);
  afterAll(() => world?.close());

  const request = (method: string, params?: unknown) => page.evaluate(([m, p]) => (window as any).securemed.request({ method: m, params: p }), [method, params] as const);

  it('sets up a vault with records and a connected portal holding a permission', async () => {
    const labs = Array.from({ length: 12 }, (_, i) => ({
      resourceType: 'Observation', id: `lab-${i}`, status: 'final', category: [{ coding: [{ code: 'laboratory' }] }], code: { text: `Lab ${i}` }, effectiveDateTime: `2024-01-${String(i + 1).padStart(2, '0')}`,
    }));
    await vaultWithRecords(world, labs, 'fuzz');

    page = await patient.context.newPage();
    await page.goto(portal.url);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('SecureMed found');
    let approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await approval, 'Allow');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Connected to SecureMed');
    approval = patient.waitForApprovalWindow();
    await clickRequest(page);
    await answerApproval(await approval, 'Allow');
    await expect.poll(() => eventsText(page), { timeout: 45_000 }).toContain('permissionsChanged: active');
  });

  it(`${COUNT} seeded malformed requests: each refused with a proper EIP-1193 error; nothing changes`, async () => {
    const summary = async () => (await patient.askBackground<{ total: number }>({ type: 'records.summary' })).result?.total;
    // The Sharing view minus the clock and "last used" (the checks' own searches touch it).
    const sites = async () => JSON.stringify((await patient.askBackground({ type: 'consent.sites' })).result, (key, value) => (key === 'now' || key === 'lastUsedAt' ? undefined : value));
    const searchIds = async () => ((await request('securemed_search', { _count: 200 })) as { entry: Array<{ resource: { id: string } }> }).entry.map((e) => e.resource.id).sort();
    const before = { records: await summary(), sites: await sites(), permissions: await request('securemed_getPermissions'), ids: await searchIds() };
    expect(before.ids).toHaveLength(12);

    const outcomes = await page.evaluate(fuzzInPage, { seed: SEED, count: COUNT });
    expect(outcomes).toHaveLength(COUNT);
    const codes = new Set<unknown>(Object.values(ProviderErrorCode));
    const improper = outcomes.filter((o) => o.settled !== 'rejected' || !codes.has(o.code) || typeof o.message !== 'string' || !o.message);
    const byLabel = (list: FuzzOutcome[]) => list.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.label]: (acc[o.label] ?? 0) + 1 }), {});
    console.log(`fuzz seed ${SEED}: ${JSON.stringify(byLabel(outcomes))}`);
    expect(improper.slice(0, 10), `seed ${SEED}: ${improper.length} improper outcomes, e.g. ${JSON.stringify(improper.slice(0, 5))}`).toEqual([]);

    // The background still answers, and nothing changed.
    expect(await request('securemed_status')).toEqual({ connected: true });
    expect(await summary()).toBe(before.records);
    expect(await sites()).toBe(before.sites);
    expect(await request('securemed_getPermissions')).toEqual(before.permissions);
    expect(await searchIds()).toEqual(before.ids);
    expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
  }, 600_000);
});
