import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metric } from './metrics';

/**
 * Gzip size of all JavaScript the popup loads: the scripts popup.html names, plus every chunk they
 * import statically (followed transitively). Measured on the built extension in .output/.
 */
export function popupBundleMetrics(extensionDir: string): Metric[] {
  const html = readFileSync(join(extensionDir, 'popup.html'), 'utf8');
  const entries = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  const queue = entries.map((src) => normalize(join(extensionDir, src.replace(/^\//, ''))));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      queue.push(normalize(join(dirname(file), m[1])));
    }
  }
  let raw = 0;
  let gzip = 0;
  for (const file of seen) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const kB = (n: number) => Math.round((n / 1024) * 100) / 100;
  const gz = kB(gzip);
  return [
    { name: 'popup.gzip_kB', value: gz, unit: 'kB', goal: '≤ 60', ok: gz <= 60 },
    { name: 'popup.raw_kB', value: kB(raw), unit: 'kB' },
    { name: 'popup.js_files', value: seen.size, unit: 'files' },
  ];
}
