import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { generateBundle, tinyPdf } from '../../shared/fhir/synthetic';
import { ExtensionSession } from './harness/extension';
import { createVault } from './flows/vault';
import { downloadText, listCount, openVaultTab } from './flows/records';
import { importByDrop } from './flows/records-drop';

/**
 * Importing by drag-and-drop onto the vault's drop zone, and opening an imported PDF in the sandboxed
 * viewer: both as a patient does it, in their own browser profile.
 */
describe('record vault: drop to import, open a PDF (patient, in Chromium)', () => {
  const { bundle, expected } = generateBundle(14, { invalid: 3, seed: 23 });
  const valid = expected.filter((e) => e.ok).length;
  const invalid = expected.length - valid;
  const PDF_NAME = 'referral-letter.pdf';
  const PDF_LINE = 'Referral letter for drop test';
  let patient: ExtensionSession;
  let vault: Page;

  beforeAll(async () => {
    patient = await ExtensionSession.launch();
  });
  afterAll(async () => {
    await patient?.close();
  });

  it('opens the vault tab on a new, empty vault', async () => {
    await createVault(patient); // expect.poll inside: must run in a test, not a hook
    vault = await openVaultTab(patient);
    expect(await vault.getByTestId('lock-state').textContent()).toContain('Unlocked');
    await vault.getByTestId('drop-zone').waitFor();
  });

  it('imports a FHIR bundle and a PDF dropped onto the drop zone, and shows what came in', async () => {
    expect(await listCount(vault)).toBe(0);
    const { summary, dragoverCancelled, dropCancelled } = await importByDrop(vault, [
      { name: 'hospital-export.json', type: 'application/json', content: JSON.stringify(bundle) },
      { name: PDF_NAME, type: 'application/pdf', content: tinyPdf(PDF_LINE) },
    ]);
    // The page accepts the drop (dragover cancelled) and keeps the browser from opening the file (drop cancelled).
    expect(dragoverCancelled).toBe(true);
    expect(dropCancelled).toBe(true);

    expect(summary).toContain(`${valid + 1} records added`);
    expect(summary).toContain(`${invalid} could not be imported`);
    const result = vault.getByTestId('import-result');
    const rejected = result.getByTestId('rejected-list').locator('li');
    expect(await rejected.count()).toBe(invalid);
    for (const text of await rejected.allTextContents()) expect(text).toMatch(/^hospital-export\.json, entry \d+.{10,}/);

    await result.getByRole('button', { name: 'Show what was added' }).click();
    const added = result.locator('.import-accepted li');
    expect(await added.count()).toBe(valid + 1);
    expect(await added.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(PDF_NAME)]));

    // The records list refreshes on its own: every valid entry and the PDF are there.
    await expect.poll(() => listCount(vault)).toBe(valid + 1);
    await expect.poll(() => vault.locator('.record-row', { hasText: PDF_NAME }).count()).toBe(1);
    await patient.screenshot(vault, 'records-drop-import-result');

    // Dropping the same export again adds nothing: it is recognised as already in the vault.
    await importByDrop(vault, [{ name: 'hospital-export.json', type: 'application/json', content: JSON.stringify(bundle) }]);
    await expect
      .poll(() => vault.getByTestId('import-summary').textContent(), { timeout: 60_000 })
      .toContain(`0 records added, ${valid} already in your vault`);
    expect(await listCount(vault)).toBe(valid + 1);
  });

  it('opens the dropped PDF in the sandboxed viewer, with a copy to save and no extension APIs', async () => {
    await vault.getByLabel('Search your records').fill('referral-letter');
    const row = vault.locator('.record-row', { hasText: PDF_NAME });
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    const detail = vault.getByTestId('record-detail');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toBe(PDF_NAME);
    await detail.getByRole('button', { name: 'Open attachment' }).click();

    const dialog = vault.getByRole('dialog', { name: PDF_NAME });
    await dialog.waitFor();
    const frame = vault.frameLocator('[data-testid=viewer-frame]');
    await expect.poll(() => frame.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 }).toBe(PDF_NAME);
    // Nothing goes to the system's PDF reader before the patient has read why that leaves the sandbox.
    expect(await frame.getByRole('link', { name: 'Save a copy of this PDF' }).count()).toBe(0);
    await frame.getByRole('button', { name: 'Save a copy…' }).click();
    await expect.poll(() => frame.getByRole('alert').textContent()).toMatch(/outside SecureMed’s protection/);
    const save = frame.getByRole('link', { name: 'Save a copy of this PDF' });
    await save.waitFor({ timeout: 15_000 });
    expect(await save.getAttribute('href')).toMatch(/^blob:null\//); // made inside the opaque-origin sandbox
    expect(await save.getAttribute('download')).toBe(PDF_NAME);
    // Chromium never renders a PDF inside a sandboxed page, so the viewer must not show a dead
    // "This page has been blocked" frame; it says why and offers the file instead.
    expect(await frame.locator('iframe, embed, object').count()).toBe(0);
    expect(await frame.locator('.pdf-note').textContent()).toMatch(/can’t be previewed.*Save a copy/);
    expect(vault.frames().map((f) => f.url()).filter((u) => u.startsWith('chrome-error:'))).toEqual([]);
    await patient.screenshot(vault, 'records-pdf-viewer');

    // The viewer is an opaque-origin sandbox without extension APIs.
    const sandbox = vault.frames().find((f) => f.url().endsWith('/sandbox.html')) as Frame;
    expect(sandbox).toBeTruthy();
    expect(
      await sandbox.evaluate(() => ({
        origin: window.origin,
        chrome: typeof (globalThis as any).chrome?.runtime?.sendMessage,
        storage: typeof (globalThis as any).chrome?.storage,
      })),
    ).toEqual({ origin: 'null', chrome: 'undefined', storage: 'undefined' });

    // Its CSP refuses frames, plugins and <base> rewrites, even of blob: URLs it made itself.
    const violated = await sandbox.evaluate(async () => {
      const seen = new Set<string>();
      document.addEventListener('securitypolicyviolation', (e) => seen.add(e.effectiveDirective));
      const frameEl = document.createElement('iframe');
      frameEl.src = URL.createObjectURL(new Blob(['<p>x</p>'], { type: 'text/html' }));
      const objectEl = document.createElement('object');
      objectEl.data = URL.createObjectURL(new Blob(['%PDF-1.4'], { type: 'application/pdf' }));
      const baseEl = document.createElement('base');
      baseEl.href = 'https://example.org/';
      document.body.append(frameEl, objectEl);
      document.head.append(baseEl);
      await new Promise((r) => setTimeout(r, 300));
      frameEl.remove();
      objectEl.remove();
      baseEl.remove();
      return [...seen].sort();
    });
    expect(violated).toEqual(expect.arrayContaining(['base-uri', 'frame-src', 'object-src']));

    // "Save a copy" hands over exactly the PDF that was dropped.
    const { text, download } = await downloadText(vault, () => save.click());
    expect(download.suggestedFilename()).toBe(PDF_NAME);
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text).toContain(PDF_LINE);
    expect(text).toBe(new TextDecoder().decode(tinyPdf(PDF_LINE)));

    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => vault.getByRole('dialog').count()).toBe(0);
    await vault.getByLabel('Search your records').fill('');
  });
});
