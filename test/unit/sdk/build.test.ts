import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../../../scripts/build-sdk';

/** `npm run build:sdk`: a small ES module a portal can vendor, and declarations that type-check a portal's code. */
describe('portal SDK build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'securemed-sdk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds one dependency-free ES module with the SDK exports', async () => {
    const built = await buildSdk(join(dir, 'sdk'));
    expect(built.gzipBytes).toBeLessThan(8 * 1024);
    const source = readFileSync(built.js, 'utf8');
    expect(source).not.toMatch(/from\s+['"]|require\(/); // no imports left: vendor one file
    const mod = await import(pathToFileURL(built.js).href);
    expect(Object.keys(mod).sort()).toEqual(['ErrorCodes', 'NOT_INSTALLED_MESSAGE', 'SecureMedClient', 'SecureMedError', 'discoverSecureMed', 'findSecureMed', 'nextParams'].sort());
    expect(mod.ErrorCodes.unauthorized).toBe(4100);
  }, 120_000);

  it('its declarations type-check a portal that uses them (and catch a wrong call)', () => {
    const good = join(dir, 'portal.ts');
    writeFileSync(good, `import { findSecureMed, type SearchsetBundle } from './sdk/securemed-sdk';
export async function run(): Promise<number> {
  const found = await findSecureMed();
  if (!found.installed) return 0;
  const b: SearchsetBundle = await found.client.search({ _type: 'Observation', date: ['ge2020'], _count: 10 });
  found.client.on('permissionsChanged', (d) => console.log(d.permissions[0]?.status));
  return (await found.client.searchAll({ code: 'http://loinc.org|2345-7' })).length + (b.entry?.length ?? 0);
}
`);
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, `import { findSecureMed } from './sdk/securemed-sdk';
export async function run() { const f = await findSecureMed(); if (f.installed) await f.client.search({ _count: 'ten' }); }
`);
    const check = (file: string) =>
      ts.getPreEmitDiagnostics(ts.createProgram([file], { noEmit: true, strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] }))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(check(good)).toEqual([]);
    expect(check(bad).join('\n')).toMatch(/Type 'string' is not assignable to type 'number/);
  }, 120_000);
});
