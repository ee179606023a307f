import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** A file as a person's desktop would hand it to the browser on a drop: name, MIME type (may be ''), bytes. */
export interface DroppedFile {
  name: string;
  type: string;
  content: string | Uint8Array;
}

/**
 * Drag files onto the vault's drop zone the way the browser delivers a real drop: one DataTransfer
 * holding File objects, then dragenter → dragover → drop on the zone, each a trusted-shaped DragEvent
 * that bubbles and is cancelable. Returns whether the page cancelled dragover and drop — a real
 * browser only performs the drop if dragover is cancelled, and navigates to the file if drop isn't.
 */
export async function dropFiles(page: Page, files: DroppedFile[]): Promise<{ dragoverCancelled: boolean; dropCancelled: boolean }> {
  const payload = files.map((f) => ({
    name: f.name,
    type: f.type,
    b64: Buffer.from(typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content).toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name, { type: f.type, lastModified: Date.now() }));
    }
    return dt;
  }, payload);
  const zone = page.getByTestId('drop-zone');
  await zone.scrollIntoViewIfNeeded();
  const box = (await zone.boundingBox())!;
  const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 };
  const fire = (type: string) =>
    zone.evaluate(
      (el, { type, dt, at }) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt, ...at })),
      { type, dt: dataTransfer, at },
    );
  await fire('dragenter');
  const dragoverCancelled = !(await fire('dragover'));
  // While files hover over it the zone shows it will take them.
  await expect.poll(() => zone.getAttribute('class')).toContain('dragging');
  const dropCancelled = !(await fire('drop'));
  await expect.poll(() => zone.getAttribute('class')).not.toContain('dragging');
  await dataTransfer.dispose();
  return { dragoverCancelled, dropCancelled };
}

/** Drop files and wait for the import summary; returns its text. Start from a page with no summary shown. */
export async function importByDrop(page: Page, files: DroppedFile[]): Promise<{ summary: string; dragoverCancelled: boolean; dropCancelled: boolean }> {
  const result = await dropFiles(page, files);
  const summary = page.getByTestId('import-summary');
  await summary.waitFor({ timeout: 120_000 });
  return { summary: (await summary.textContent())!, ...result };
}
