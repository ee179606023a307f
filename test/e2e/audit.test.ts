import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Portal } from '../../scripts/portal/server';
import { validateR4 } from '../support/r4-validator';
import type { ExtensionSession } from './harness/extension';
import { allowPermissionRequest, clickRequest, connectSite, eventsText, openDemoSite } from './flows/consent';
import { startPortalWorld, vaultWithRecords, type PortalWorld } from './flows/portal-world';
import { downloadText } from './flows/records';

/**
 * The audit trail end to end: the demo portal connects, asks for permission (the patient approves in
 * the window), searches; another site that never connected is refused. The Activity tab lists each of
 * those in words with the right outcome, a record's detail names the site that read it, the popup shows
 * the last accesses, and the downloaded export validates as FHIR R4 (independent validator).
 */
const LOINC = 'http://loinc.org';
const labs = Array.from({ length: 4 }, (_, i) => ({
  resourceType: 'Observation', id: `audit-lab-${i}`, status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: LOINC, code: '2345-7', display: 'Glucose' }], text: `Glucose test ${i}` },
  effectiveDateTime: `2024-0${i + 1}-10`, valueQuantity: { value: 90 + i, unit: 'mg/dL' },
}));

const search = (page: Page, params?: Record<string, unknown>) =>
  page.evaluate(async (p) => {
    try {
      const b = await (window as any).securemed.request({ method: 'securemed_search', params: p });
      return { ok: true as const, count: (b.entry ?? []).length as number };
    } catch (e) {
      return { ok: false as const, code: (e as { code: number }).code };
    }
  }, params);

describe('audit trail: every page call is in Activity, in words, with its outcome', () => {
  let world: PortalWorld;
  let patient: ExtensionSession;
  let portal: Portal;
  let ehr: Portal;
  let page: Page;

  beforeAll(async () => {
    world = await startPortalWorld();
    ({ patient, portal, ehr } = world);
  }, 180_000);
  afterAll(() => world?.close());

  it('a portal connects, is granted labs, searches; a site that never connected is refused', async () => {
    await vaultWithRecords(world, labs, 'audit.test');

    page = await openDemoSite(patient, portal.url);
    await connectSite(patient, page);
    await allowPermissionRequest(patient, () => clickRequest(page));
    await expect.poll(async () => (await eventsText(page))?.split('permissionsChanged').at(-1), { timeout: 45_000 }).toContain('active');

    // Two identical searches (one entry, counted twice) and a narrower one.
    expect(await search(page, { category: 'laboratory' })).toEqual({ ok: true, count: 4 });
    expect(await search(page, { category: 'laboratory' })).toEqual({ ok: true, count: 4 });
    expect(await search(page, { code: `${LOINC}|2345-7`, _count: 1 })).toEqual({ ok: true, count: 1 });

    const other = await openDemoSite(patient, ehr.url);
    expect(await search(other, { category: 'laboratory' })).toEqual({ ok: false, code: 4100 });
    await other.close();
  }, 240_000);

  it('Activity lists the connect, the request and the searches with their outcomes, filterable by site', async () => {
    const portalHost = new URL(portal.url).host;
    const ehrHost = new URL(ehr.url).host;
    const vault = await patient.openPage('vault.html#activity', { width: 1280, height: 900 });
    const list = vault.getByTestId('activity-list');
    const lines = () => list.locator('li').allTextContents();
    await expect.poll(lines, { timeout: 30_000 }).toEqual(expect.arrayContaining([
      expect.stringContaining(`${portalHost} connected — allowed`),
      expect.stringMatching(new RegExp(`${portalHost} asked for permission.* — allowed`)),
      expect.stringContaining(`${portalHost} read 4 records (2 times) — allowed`),
      expect.stringContaining(`${portalHost} read 1 record — allowed`),
      expect.stringContaining(`${ehrHost} tried to read records — refused: not permitted`),
    ]));
    expect(await list.locator('li[data-outcome="refused"][data-method="securemed_search"]').count()).toBeGreaterThanOrEqual(1);
    expect((await lines()).join('\n')).not.toMatch(/[{}]/); // words, not JSON
    await patient.screenshot(vault, 'activity-all');

    await vault.getByTestId('activity-site').selectOption(new URL(ehr.url).origin);
    // The filtered list re-renders after the choice: wait for it to hold that site's lines and only those.
    await expect.poll(async () => {
      const shown = await lines();
      return shown.some((l) => l.includes(`${ehrHost} tried to read records — refused: not permitted`)) && shown.every((l) => l.startsWith(`${ehrHost} `));
    }).toBe(true);
    await patient.screenshot(vault, 'activity-one-site');

    await vault.getByTestId('activity-site').selectOption('');
    await expect.poll(async () => (await lines()).length).toBeGreaterThan(4);

    // The chain's consent events join the timeline only when asked for, after the page says what the RPC sees.
    expect(await list.locator('li[data-source="chain"]').count()).toBe(0);
    await expect.poll(() => vault.locator('#activity-chain-note').textContent()).toContain('Whoever runs that service could still link the questions');
    await vault.getByLabel(/Also show permissions recorded on the blockchain/).check();
    await expect.poll(() => list.locator('li[data-source="chain"]').allTextContents(), { timeout: 30_000 }).toEqual([
      expect.stringMatching(new RegExp(`Blockchain.*Permission for ${portalHost} recorded on the blockchain: lab results.*, until`)),
    ]);
    await expect.poll(() => vault.getByTestId('activity-chain-status').textContent()).toMatch(/Asked 127\.0\.0\.1:\d+ about 2 site accounts/);
    await patient.screenshot(vault, 'activity-with-chain');
    await vault.getByLabel(/Also show permissions recorded on the blockchain/).uncheck();
    await expect.poll(() => list.locator('li[data-source="chain"]').count()).toBe(0);
    const { text } = await downloadText(vault, () => vault.getByRole('button', { name: /Download as FHIR/ }).click());
    const bundle = JSON.parse(text);
    validateR4(bundle);
    expect(bundle.entry.every((e: any) => e.resource.resourceType === 'AuditEvent')).toBe(true);
    expect(bundle.entry.some((e: any) => e.resource.outcome === '4' && e.resource.agent[0].who.identifier.value === new URL(ehr.url).origin)).toBe(true);
    await vault.close();
  }, 120_000);

  it("a record's detail lists the site that read it; the popup shows the last accesses", async () => {
    const vault = await patient.openPage('vault.html', { width: 1280, height: 900 });
    await vault.getByRole('heading', { name: /Your records/ }).waitFor({ timeout: 30_000 });
    await vault.locator('.record-row', { hasText: 'Glucose test 2' }).first().click();
    const who = vault.getByTestId('who-saw');
    await expect.poll(() => who.textContent(), { timeout: 30_000 }).toContain(new URL(portal.url).host);
    expect(await who.textContent()).not.toContain(new URL(ehr.url).host);
    await patient.screenshot(vault, 'activity-who-saw');
    await vault.close();

    const popup = await patient.openPage('popup.html', { width: 360, height: 560 });
    const summary = popup.getByTestId('activity-summary');
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain(new URL(ehr.url).host);
    await patient.screenshot(popup, 'activity-popup');
    await popup.close();
  }, 120_000);
});
