import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_EHR_GRANTEE } from '../../scripts/portal/grantee';
import type { Portal } from '../../scripts/portal/server';
import { validateR4 } from '../support/r4-validator';
import { answerApproval } from './harness/approval';
import type { ExtensionSession } from './harness/extension';
import { clickRequest, eventsText } from './flows/consent';
import { newVaultOnStack, startPortalWorld, type PortalWorld } from './flows/portal-world';

/**
 * securemed_submit end to end, through the demo EHR driven like a person: the clinic asks for its chart
 * and to send lab results (a SMART v2 write scope, granted on a real local chain through the relayer),
 * then "Send lab results" offers three; the patient unticks one in the review window and adds two,
 * which appear in the vault with "Added by <site>"; sending again finds them already there; invalid FHIR
 * is -32602 with the reasons and stores nothing; the patient portal (read-only grant) gets 4100; two
 * submits at once from one site open one window (the second is told one is waiting) and closing the
 * window is 4001. Each call is in Activity with its outcome.
 */
type Outcome = { ok: true; result: { accepted: number[]; declined: number[]; duplicates: number[]; stored: Array<{ index: number; fullUrl: string }> } } | { ok: false; code: number; message: string; data?: unknown };

/**
 * Call securemed_submit from a real click (the bridge requires a user gesture, as for permissions): a
 * button is added to the page, clicked by Playwright, and its calls' outcomes kept in window.__submits.
 */
async function clickToSubmit(page: Page, calls: unknown[]): Promise<void> {
  await page.evaluate((all) => {
    const w = window as any;
    w.__submits = undefined;
    const button = Object.assign(document.createElement('button'), { textContent: 'Test submit', id: 'test-submit' });
    button.addEventListener('click', () => {
      w.__submits = Promise.all(all.map((params) => w.securemed.request({ method: 'securemed_submit', params }).then(
        (result: unknown) => ({ ok: true, result }),
        (e: { code: number; message: string; data?: unknown }) => ({ ok: false, code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) }),
      )));
      button.remove();
    });
    document.body.append(button);
  }, calls);
  await page.click('#test-submit');
}
const submitted = (page: Page) => page.evaluate(() => (window as any).__submits) as Promise<Outcome[]>;

const obs = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation', id, status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { text }, effectiveDateTime: '2026-11-21', valueQuantity: { value: 5, unit: 'mmol/L' }, ...extra,
});

describe('portal submit: a clinic sends lab results, the patient reviews and keeps some', () => {
  let world: PortalWorld;
  let patient: ExtensionSession;
  let ehr: Portal;
  let portal: Portal;
  let doctor: Page;
  let total = 0;

  const recordsTotal = async () => ((await patient.askBackground<{ total: number }>({ type: 'records.summary' })).result!.total);
  const note = () => doctor.getByTestId('submit-note').textContent();

  beforeAll(async () => {
    world = await startPortalWorld({ attestEhr: true });
    ({ patient, portal, ehr } = world);
  }, 180_000);
  afterAll(() => world?.close());

  it('the EHR connects and is granted its chart and sending lab results (write scope, on chain)', async () => {
    await newVaultOnStack(world);
    doctor = await patient.context.newPage();
    await doctor.goto(ehr.url);
    await expect.poll(() => doctor.getByRole('status').textContent(), { timeout: 15_000 }).toContain('SecureMed found');
    let approval = patient.waitForApprovalWindow();
    await doctor.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await approval, 'Allow');
    await expect.poll(() => doctor.getByRole('status').textContent()).toContain('Connected to SecureMed');
    approval = patient.waitForApprovalWindow();
    await doctor.getByRole('button', { name: /Request problems, allergies and vaccinations/ }).click();
    const win = await approval;
    await expect.poll(() => win.getByText('They could also add new records').count(), { timeout: 15_000 }).toBe(1);
    await answerApproval(win, 'Allow');
    await expect.poll(() => eventsText(doctor), { timeout: 45_000 }).toContain('permissionsChanged: active');
    expect(await doctor.getByTestId('permission').textContent()).toContain('patient/Observation.c?category=laboratory');
    total = await recordsTotal();
  }, 240_000);

  it('"Send lab results": the review window lists three readable results, ticked; the patient unticks one and adds two', async () => {
    const approval = patient.waitForApprovalWindow();
    await doctor.getByRole('button', { name: 'Send lab results', exact: true }).click();
    const win = await approval;
    const items = win.getByTestId('submit-item');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(3);
    const text = (await win.getByTestId('submit-review').textContent())!;
    for (const words of ['Glucose', 'Hemoglobin', 'Cholesterol, total', '97 mg/dL', 'Lab result', '20 November 2026']) expect(text).toContain(words);
    expect(text).not.toMatch(/[{}]|"resourceType"/); // words, not JSON
    const boxes = win.getByRole('checkbox');
    expect(await boxes.count()).toBe(3);
    for (let i = 0; i < 3; i++) expect(await boxes.nth(i).isChecked()).toBe(true);
    expect(await win.getByRole('button', { name: 'Add 3 records' }).isVisible()).toBe(true);
    // "Decline" has the focus; the checkboxes are reachable by keyboard and have their record as name.
    expect(await win.evaluate(() => document.activeElement?.textContent)).toBe('Decline');
    const hemoglobin = win.getByRole('checkbox', { name: /Hemoglobin/ });
    await hemoglobin.focus();
    await win.keyboard.press('Space');
    expect(await hemoglobin.isChecked()).toBe(false);
    await expect.poll(() => win.getByRole('button', { name: 'Add 2 records' }).isEnabled()).toBe(true);
    await patient.screenshot(win, 'submit-review');
    await win.getByRole('button', { name: 'Add 2 records' }).click().catch((e: Error) => {
      if (!/closed/.test(e.message)) throw e;
    });
    await expect.poll(note, { timeout: 30_000 }).toContain('2 of 3 lab results added, 1 left out by the patient');
    expect(await recordsTotal()).toBe(total + 2);
  }, 120_000);

  it('the two appear in the vault with "Added by" the clinic (a FHIR Provenance); the third does not', async () => {
    const vault = await patient.openPage('vault.html', { width: 1280, height: 900 });
    await vault.getByRole('heading', { name: /Your records/ }).waitFor({ timeout: 30_000 });
    await expect.poll(() => vault.locator('.record-row', { hasText: 'Glucose' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await vault.locator('.record-row', { hasText: 'Cholesterol' }).count()).toBe(1);
    expect(await vault.locator('.record-row', { hasText: 'Hemoglobin' }).count()).toBe(0);
    await vault.locator('.record-row', { hasText: 'Glucose' }).first().click();
    const added = vault.getByTestId('added-by');
    await expect.poll(() => added.textContent(), { timeout: 15_000 }).toContain(`Added by ${new URL(ehr.url).host}`);
    expect(await added.textContent()).toContain(`grantee ${DEMO_EHR_GRANTEE.slice(0, 6)}`);
    await patient.screenshot(vault, 'submit-record-provenance');

    // The Provenance itself: FHIR R4 (independent validator), naming the record, the site and the grantee.
    const list = await patient.askBackground<{ entries: Array<{ id: string; title: string }> }>({ type: 'records.list', query: 'Glucose', offset: 0, limit: 5 });
    const id = list.result!.entries[0]!.id;
    const prov = await patient.askBackground<{ added?: { origin: string; grantee?: string; provenance: any } }>({ type: 'submit.provenance', id });
    const p = prov.result!.added!;
    expect(p.origin).toBe(ehr.url);
    expect(p.grantee).toBe(DEMO_EHR_GRANTEE);
    validateR4(p.provenance);
    expect(p.provenance.target[0].reference).toBe('Observation/nsc-lab-1');
    expect(p.provenance.agent.map((a: any) => a.who.identifier.value)).toEqual([ehr.url, DEMO_EHR_GRANTEE]);
    // In the backup: the provenance kind travels with the records.
    const backup = await patient.askBackground<{ header?: { kinds: Record<string, number> } }>({ type: 'records.export.backup', offset: 0, limit: 1000 });
    expect(backup.result!.header!.kinds.recordProvenance).toBe(2);
    await vault.close();
  }, 120_000);

  it('sending the same again: the two are "already in your vault", only the third can be added', async () => {
    const approval = patient.waitForApprovalWindow();
    await doctor.getByRole('button', { name: 'Send lab results', exact: true }).click();
    const win = await approval;
    await expect.poll(() => win.locator('[data-testid="submit-item"][data-duplicate]').count(), { timeout: 15_000 }).toBe(2);
    expect(await win.getByText('Already in your vault').count()).toBe(2);
    expect(await win.getByRole('checkbox').count()).toBe(1);
    await patient.screenshot(win, 'submit-review-duplicates');
    await win.getByRole('button', { name: 'Add 1 record' }).click().catch((e: Error) => {
      if (!/closed/.test(e.message)) throw e;
    });
    await expect.poll(note, { timeout: 30_000 }).toContain("1 of 3 lab results added, 2 already in the patient's records");
    expect(await recordsTotal()).toBe(total + 3);
  }, 120_000);

  it('the service worker stops while the patient reviews: the re-sent request re-attaches to the same window, nothing is lost', async () => {
    const before = await recordsTotal();
    const approval = patient.waitForApprovalWindow();
    await clickToSubmit(doctor, [{ resources: [obs('restart-1', 'Ferritin')] }]);
    const win = await approval;
    await expect.poll(() => win.getByTestId('submit-item').count(), { timeout: 15_000 }).toBe(1);
    const startedAt = async () => (await patient.askBackground<{ workerStartedAt: number }>({ type: 'ui.status' })).result!.workerStartedAt;
    const startedBefore = await startedAt();
    await patient.stopServiceWorker();
    let extraWindows = 0;
    patient.context.on('page', (pg) => pg.url().includes('/approve.html') && extraWindows++);
    await win.bringToFront();
    await win.getByRole('button', { name: 'Add 1 record' }).click().catch((e: Error) => {
      if (!/closed/.test(e.message)) throw e;
    });
    const [out] = await submitted(doctor);
    expect(out).toMatchObject({ ok: true, result: { accepted: [0], declined: [], duplicates: [] } });
    expect(extraWindows).toBe(0);
    expect(await startedAt()).toBeGreaterThan(startedBefore); // it really was a new worker
    expect(await recordsTotal()).toBe(before + 1);
  }, 90_000);

  it('invalid FHIR: -32602 with the reason per entry, no window, nothing stored', async () => {
    const before = await recordsTotal();
    await clickToSubmit(doctor, [{ resources: [obs('ok-1', 'Sodium'), { resourceType: 'Observation', status: 'final' }, obs('bad-date', 'Potassium', { effectiveDateTime: '2021-02-30' })] }]);
    const [out] = await submitted(doctor);
    expect(out).toMatchObject({ ok: false, code: -32602 });
    const message = (out as { message: string }).message;
    expect(message).toContain('Invalid FHIR in 2 of 3 entries; nothing was added');
    expect(message).toContain("entry 1: Observation without a code: we can't tell what was measured.");
    expect(message).toMatch(/entry 2: .*date/i);
    // The reasons per entry reach the page as the error's EIP-1193 `data`.
    expect((out as { data?: unknown }).data).toEqual([{ index: 1, reasons: [expect.stringContaining('without a code')] }, { index: 2, reasons: [expect.any(String)] }]);
    expect(await recordsTotal()).toBe(before);
    expect(patient.context.pages().some((pg) => pg.url().includes('/approve.html'))).toBe(false);
  }, 60_000);

  it('the patient portal, granted reading only, may not add records: 4100 with the reason', async () => {
    const page = await patient.context.newPage();
    await page.goto(portal.url);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('SecureMed found');
    const connect = patient.waitForApprovalWindow();
    await page.getByRole('button', { name: 'Connect SecureMed' }).click();
    await answerApproval(await connect, 'Allow');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Connected to SecureMed');
    const grant = patient.waitForApprovalWindow();
    await clickRequest(page);
    await answerApproval(await grant, 'Allow');
    await expect.poll(async () => (await eventsText(page))?.split('permissionsChanged').at(-1), { timeout: 45_000 }).toContain('active');
    await clickToSubmit(page, [{ resources: [obs('portal-1', 'Sodium')] }]);
    const [out] = await submitted(page);
    expect(out).toMatchObject({ ok: false, code: 4100, message: expect.stringContaining('no permission to add records') });
    await page.close();
  }, 180_000);

  it('two submits at once from one site: one window, the second is told one is waiting; closing the window is 4001', async () => {
    const before = await recordsTotal();
    const approval = patient.waitForApprovalWindow();
    await clickToSubmit(doctor, [{ resources: [obs('race-1', 'Calcium')] }, { resources: [obs('race-2', 'Magnesium')] }]);
    const win = await approval;
    await expect.poll(() => win.getByTestId('submit-item').count(), { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(patient.context.pages().filter((pg) => pg.url().includes('/approve.html'))).toHaveLength(1);
    await win.close();
    const outs = await submitted(doctor);
    const codes = outs.map((o) => (o.ok ? 'ok' : o.code)).sort();
    expect(codes).toEqual([-32002, 4001].sort());
    const waiting = outs.find((o) => !o.ok && o.code === -32002) as { message: string };
    expect(waiting.message).toContain('already waiting');
    expect(await recordsTotal()).toBe(before);
  }, 60_000);

  it('Activity lists every submit with its outcome', async () => {
    const ehrHost = new URL(ehr.url).host;
    const portalHost = new URL(portal.url).host;
    const vault = await patient.openPage('vault.html#activity', { width: 1280, height: 900 });
    const lines = () => vault.getByTestId('activity-list').locator('li').allTextContents();
    await expect.poll(lines, { timeout: 30_000 }).toEqual(expect.arrayContaining([
      expect.stringContaining(`${ehrHost} added 2 records to your vault — allowed`),
      expect.stringContaining(`${ehrHost} added 1 record to your vault — allowed`),
      expect.stringContaining(`${ehrHost} tried to send records — refused: malformed request`),
      expect.stringMatching(new RegExp(`${portalHost} .* — refused: not permitted`)),
      expect.stringMatching(new RegExp(`${ehrHost} .* — you declined`)),
    ]));
    expect(await vault.locator('li[data-method="securemed_submit"]').count()).toBeGreaterThanOrEqual(5);
    await vault.close();
  }, 60_000);

  it('while the vault is locked: 4900, like search, and no window', async () => {
    expect((await patient.askBackground({ type: 'vault.lock' })).ok).toBe(true);
    await doctor.getByRole('button', { name: 'Send lab results', exact: true }).click();
    await expect.poll(note, { timeout: 15_000 }).toMatch(/^Not sent \(4900\): SecureMed is locked/);
    expect(patient.context.pages().some((pg) => pg.url().includes('/approve.html'))).toBe(false);
  }, 90_000);
});
