import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metric } from './metrics';

/** The budget for everything injected into every web page the patient visits (issue 9). */
export const CONTENT_SCRIPTS_BUDGET_KB = 12;

/**
 * Size of the content scripts (the MAIN-world provider and the isolated bridge): Chromium injects
 * them into every http(s) page, so every page load pays for them. Raw is what is parsed, gzip what a
 * store download costs; the goal is on raw. Measured on the built extension.
 */
export function contentScriptMetrics(extensionDir: string): Metric[] {
  const dir = join(extensionDir, 'content-scripts');
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.js')) : [];
  if (files.length === 0) throw new Error(`no content scripts in ${dir}: build the extension first`);
  let raw = 0;
  let gzip = 0;
  for (const name of files) {
    const bytes = readFileSync(join(dir, name));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const kB = (n: number) => Math.round((n / 1024) * 100) / 100;
  const rawKb = kB(raw);
  return [
    { name: 'content.scripts_kB', value: rawKb, unit: 'kB', goal: `≤ ${CONTENT_SCRIPTS_BUDGET_KB}`, ok: rawKb <= CONTENT_SCRIPTS_BUDGET_KB },
    { name: 'content.scripts_gzip_kB', value: kB(gzip), unit: 'kB' },
    { name: 'content.scripts_files', value: files.length, unit: 'files' },
  ];
}
