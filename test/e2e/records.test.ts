import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateBundle, markersIn, tinyPdf } from '../../shared/fhir/synthetic';
import { ExtensionSession } from './harness/extension';
import { createVault, restoreVault } from './flows/vault';
import { corruptStoredRecord, downloadText, importThroughUi, listCount, openVaultTab, writeTempFile } from './flows/records';

// A 2×2 PNG (valid file signature + IHDR/IDAT/IEND), enough for the viewer to show an image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

describe('record vault (patient, in Chromium)', () => {
  const { bundle, expected } = generateBundle(60, { invalid: 7, seed: 11 });
  const valid = expected.filter((e) => e.ok).length;
  const resources = ((bundle.entry as Array<{ resource?: unknown }>) ?? []).map((e) => e.resource).filter(Boolean);
  const markers = markersIn(resources);
  let patient: ExtensionSession;
  let words: string[];
  let vault: Page;
  let backupText: string;
  let backupItems = 0;

  beforeAll(async () => {
    patient = await ExtensionSession.launch();
  });
  afterAll(async () => {
    await patient?.close();
  });

  it('opens the vault tab on a new vault', async () => {
    ({ words } = await createVault(patient));
    vault = await openVaultTab(patient);
    expect(await vault.getByTestId('lock-state').textContent()).toContain('Unlocked');
  });

  it('imports a bundle with invalid entries, a PDF and an image: valid ones stored, invalid ones explained', async () => {
    expect(markers.length).toBeGreaterThan(3);
    const files = [
      writeTempFile('my-hospital-export.json', JSON.stringify(bundle)),
      writeTempFile('discharge-letter.pdf', tinyPdf('Discharge letter')),
      writeTempFile('rash-photo.png', PNG),
      writeTempFile('notes.txt', 'not a health record'),
    ];
    const summary = await importThroughUi(vault, files);
    expect(summary).toContain(`${valid + 2} records added`);
    expect(summary).toContain(`${expected.length - valid + 1} could not be imported`);
    const rejected = vault.getByTestId('rejected-list').locator('li');
    expect(await rejected.count()).toBe(expected.length - valid + 1);
    // Each rejection names its entry and says why in plain words.
    for (const text of await rejected.allTextContents()) expect(text).toMatch(/(entry \d+|notes\.txt).{10,}/);
    expect(await rejected.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("isn't FHIR JSON, a PDF or an image")]));
    await patient.screenshot(vault, 'records-import-result');
    await expect.poll(() => listCount(vault)).toBe(valid + 2);

    // Importing the same file again adds nothing: de-duplicated by keyed hash.
    const again = await importThroughUi(vault, [files[0]!]);
    expect(again).toContain(`0 records added, ${valid} already in your vault`);
  });

  it('filters by category, searches, opens a readable detail with raw JSON only on request', async () => {
    await vault.reload();
    await vault.getByTestId('timeline').waitFor();
    await patient.screenshot(vault, 'records-vault');
    const labs = vault.getByRole('button', { name: /^Lab results/ });
    const labCount = Number((await labs.locator('.chip-count').textContent())!.replace(/\D/g, ''));
    expect(labCount).toBeGreaterThan(0);
    await labs.click();
    expect(await labs.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => listCount(vault)).toBe(labCount);
    for (const cat of await vault.locator('.record-row .cat').allTextContents()) expect(cat).toBe('Lab results');
    await vault.getByRole('button', { name: 'All', exact: true }).click();

    // Search by a condition name from the corpus: every hit contains it.
    const condition = resources.find((r: any) => r.resourceType === 'Condition') as any;
    const term = condition.code.text as string;
    await vault.getByLabel('Search your records').fill(term.split(' ')[0]!);
    await expect.poll(() => vault.locator('.record-row').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(term)]));
    await vault.locator('.record-row', { hasText: term }).first().click();
    const detail = vault.getByTestId('record-detail');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toBe(term);
    expect(await detail.getByTestId('fields').textContent()).toMatch(/Status/);
    expect(await vault.locator('#raw-json').count()).toBe(0);
    await vault.getByLabel('Search your records').fill('');

    // A lab result shows value, unit and reference range.
    await labs.click();
    await vault.locator('.record-row').first().click();
    await expect.poll(() => detail.getByTestId('fields').textContent()).toMatch(/Result.*\d/);
    await patient.screenshot(vault, 'records-detail');
    await detail.getByRole('button', { name: 'Show raw JSON' }).click();
    expect(await vault.locator('#raw-json').textContent()).toContain('"resourceType": "Observation"');
    await patient.screenshot(vault, 'records-detail-raw-json');
    await labs.click();
  });

  it('shows narrative and attachments only in the sandboxed viewer', async () => {
    await vault.getByRole('button', { name: /^Documents/ }).click();
    await vault.locator('.record-row', { hasText: 'rash-photo.png' }).click();
    await vault.getByRole('button', { name: 'Open attachment' }).click();
    const frame = vault.frameLocator('[data-testid=viewer-frame]');
    await frame.locator('img').waitFor({ timeout: 15_000 });
    await patient.screenshot(vault, 'records-viewer');
    // The viewer is an opaque-origin sandbox: no extension APIs there.
    const sandboxed = await vault.frames().find((f) => f.url().endsWith('/sandbox.html'))!.evaluate(() => ({
      origin: window.origin,
      chrome: typeof (globalThis as any).chrome?.runtime?.sendMessage,
    }));
    expect(sandboxed).toEqual({ origin: 'null', chrome: 'undefined' });
    await vault.getByRole('button', { name: 'Close', exact: true }).last().click();

    await vault.getByRole('button', { name: 'All', exact: true }).click();
    const withNarrative = resources.find((r: any) => r.resourceType === 'Condition' && r.text?.div) as any;
    await vault.getByLabel('Search your records').fill(withNarrative.code.text);
    await vault.locator('.record-row').first().click();
    await vault.getByRole('button', { name: 'View narrative' }).click();
    await expect.poll(() => frame.locator('.narrative').textContent(), { timeout: 15_000 }).toMatch(/\w{3,}/);
    expect(await frame.locator('script').count()).toBe(1); // only the viewer's own module
    await vault.getByRole('button', { name: 'Close', exact: true }).last().click();
    await vault.getByLabel('Search your records').fill('');
  });

  it('exports a FHIR bundle after a confirm, and an encrypted backup (the reminder then goes away)', async () => {
    expect(await vault.getByTestId('backup-reminder').count()).toBe(1);
    await vault.getByRole('button', { name: 'Export as FHIR…' }).click();
    const dialog = vault.getByRole('dialog', { name: 'Export without encryption?' });
    await dialog.waitFor();
    await patient.screenshot(vault, 'records-export-confirm');
    const { text: bundleText } = await downloadText(vault, () => dialog.getByRole('button', { name: 'Export unencrypted file' }).click());
    const exported = JSON.parse(bundleText);
    expect(exported.resourceType).toBe('Bundle');
    expect(exported.entry).toHaveLength(valid + 2);

    ({ text: backupText } = await downloadText(vault, () => vault.getByRole('button', { name: 'Save encrypted backup' }).click()));
    const backup = JSON.parse(backupText);
    expect(backup.format).toBe('securemed-backup');
    // The backup also carries what goes with the records (e.g. the anchoring batch that names them).
    expect(backup.rows.filter((r: { kind: string }) => r.kind === 'records')).toHaveLength(valid + 2);
    backupItems = backup.rows.length;
    for (const m of markers) expect(backupText).not.toContain(m);
    await expect.poll(() => vault.getByTestId('backup-reminder').count()).toBe(0);
  });

  it('stores no plaintext clinical strings: IndexedDB and extension storage scanned', async () => {
    const idb = await patient.dumpIndexedDb();
    const records = idb['securemed-vault']?.records ?? [];
    expect(records).toHaveLength(valid + 2); // the scan sees the records…
    const everything = JSON.stringify({ idb, local: await patient.readStorage('local'), session: await patient.readStorage('session') });
    for (const m of [...markers, 'Observation', 'Condition', 'DocumentReference', 'http://loinc.org']) {
      expect(everything, m).not.toContain(m); // …and none of their content
    }
  });

  it('reports a tampered record as damaged while the others still open', async () => {
    await vault.reload();
    const rows = vault.locator('.record-row');
    await rows.first().waitFor();
    const victim = (await rows.nth(1).getAttribute('data-record-id'))!;
    await corruptStoredRecord(patient, victim);
    await rows.nth(1).click();
    const detail = vault.getByTestId('record-detail');
    await expect.poll(() => detail.getByTestId('damaged').textContent()).toContain("This record is damaged and can't be opened");
    await patient.screenshot(vault, 'records-damaged');
    // The support log (settings page) says what happened, without any of the record's content.
    const settings = await patient.openPage('options.html');
    await settings.getByRole('button', { name: 'Show support log' }).click();
    await expect.poll(() => settings.getByTestId('support-log').textContent()).toContain('records: a stored record did not open');
    const logText = (await settings.getByTestId('support-log').textContent())!;
    for (const marker of markers) expect(logText).not.toContain(marker);
    await patient.screenshot(settings, 'settings-support-log');
    await settings.close();
    for (const i of [0, 2]) {
      await rows.nth(i).click();
      await detail.getByTestId('fields').waitFor();
      expect(await detail.getByTestId('damaged').count()).toBe(0);
    }
  });

  it('keeps working after the service worker is stopped (index re-decrypted on demand)', async () => {
    const before = await listCount(vault);
    await patient.stopServiceWorker();
    await vault.reload();
    await expect.poll(() => listCount(vault), { timeout: 20_000 }).toBe(before);
    const popup = await patient.openPopup();
    const summary = popup.getByTestId('records-summary');
    await expect.poll(() => summary.textContent()).toContain(`${before} records`);
    expect(await summary.locator('li').count()).toBe(3);
    await patient.screenshot(popup, 'records-popup');
    await popup.close();
  });

  it('restores the backup into a fresh profile with the recovery phrase: same records', async () => {
    const second = await ExtensionSession.launch();
    try {
      const popup = await restoreVault(second, words.join(' '));
      await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 30_000 }).toContain('Unlocked');
      const tab = await openVaultTab(second);
      const chooser = tab.waitForEvent('filechooser');
      await tab.getByRole('button', { name: 'Restore from backup…' }).click();
      await (await chooser).setFiles(writeTempFile('backup.json', backupText));
      await expect.poll(() => tab.getByTestId('backup-message').textContent(), { timeout: 60_000 }).toContain(`Restored ${backupItems} of ${backupItems} items from the backup (${valid + 2} records`);
      await expect.poll(() => listCount(tab)).toBe(valid + 2);
      const original = await vault.locator('.record-row .record-title').allTextContents();
      await tab.reload();
      await tab.locator('.record-row').first().waitFor();
      expect(await tab.locator('.record-row .record-title').allTextContents()).toEqual(original);
      await tab.locator('.record-row').nth(2).click();
      await tab.getByTestId('fields').waitFor();
    } finally {
      await second.close();
    }
  });

  it('shows progress for a large import and the page stays responsive', async () => {
    const before = await listCount(vault);
    const big = generateBundle(1200, { seed: 99, start: '2001-01-01', years: 3 });
    const chooser = vault.waitForEvent('filechooser');
    await vault.getByRole('button', { name: 'Choose files…' }).click();
    await (await chooser).setFiles(writeTempFile('big-export.json', JSON.stringify(big.bundle)));
    const progress = vault.getByRole('progressbar');
    await progress.waitFor({ timeout: 30_000 });
    expect(await vault.getByText(/Importing [\d,]+ of 1,200 entries/).count()).toBe(1);
    // Not frozen: typing works while the import runs.
    await vault.getByLabel('Search your records').fill('typing while importing');
    expect(await vault.getByLabel('Search your records').inputValue()).toBe('typing while importing');
    await vault.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await vault.getByLabel('Search your records').fill('');
    await expect.poll(() => listCount(vault)).toBe(before + 1200);
  });
});
