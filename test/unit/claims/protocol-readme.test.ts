import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * shared/protocol/README.md's table says, for each boundary, which schema parses its messages and
 * where. This test holds the table to it: every zod schema a row names is exported by the file the
 * row names, and a file in the row's "checked by" cell parses with it, or calls the hand-written
 * check the cell names, which must then be proven equal to the schema by the test file the cell names.
 */
const ROOT = resolve(__dirname, '../../..');
const PROTOCOL = join(ROOT, 'shared/protocol');
const readme = readFileSync(join(PROTOCOL, 'README.md'), 'utf8');

interface Row {
  line: string;
  schemaCell: string;
  checkedByCell: string;
}

const rows: Row[] = readme
  .split('\n')
  .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line) && !line.startsWith('| from'))
  .map((line) => {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    return { line, schemaCell: cells[2], checkedByCell: cells[3] };
  });

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
const identifiers = (cell: string) => backticked(cell).filter((t) => /^[A-Za-z_]\w*$/.test(t));
const tsPaths = (cell: string) => backticked(cell).filter((t) => /^[\w./<>-]+\.ts$/.test(t) && !t.includes('<'));

/** A path as the README writes it: relative to shared/protocol, extension/, or the repository. */
function locate(path: string): string | undefined {
  return [join(PROTOCOL, path), join(ROOT, 'extension', path), join(ROOT, path)].find((p) => existsSync(p));
}

const isZodSchema = (value: unknown) => typeof (value as { safeParse?: unknown })?.safeParse === 'function';

describe('shared/protocol/README.md: every schema is parsed where the table says', () => {
  it('the table has the boundary rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });

  const schemaRows = rows.filter((row) => identifiers(row.schemaCell).length > 0 && tsPaths(row.schemaCell).length > 0);
  it.each(schemaRows.map((row) => [identifiers(row.schemaCell)[0], row] as const))('%s', { timeout: 60_000 }, async (name, row) => {
    const file = locate(tsPaths(row.schemaCell)[0]);
    expect(file, `schema file of ${name}`).toBeDefined();
    const module = (await import(file!)) as Record<string, unknown>;
    if (!isZodSchema(module[name])) {
      // Type-only rows (replies, wire types built by the background) name what they are, not a schema.
      expect(row.schemaCell, `${name} is no schema, so the row must say it is a type`).toMatch(/types? |type-checked|—/);
      return;
    }
    const checkers = tsPaths(row.checkedByCell).map((p) => [p, locate(p)] as const);
    expect(checkers.length, `"checked by" names no file for ${name}`).toBeGreaterThan(0);
    for (const [path, found] of checkers) expect(found, `${path} named for ${name}`).toBeDefined();
    const sources = checkers.filter(([path]) => !path.startsWith('test/')).map(([, found]) => readFileSync(found!, 'utf8'));

    const parsesWithSchema = sources.some((source) => new RegExp(`\\b${name}\\.(safeParse|parse)\\(`).test(source));
    if (parsesWithSchema) return;

    // Otherwise a named hand check must be called there and proven equal to the schema in a test.
    const handChecks = identifiers(row.checkedByCell).filter((fn) => sources.some((source) => new RegExp(`\\b${fn}\\(`).test(source)));
    expect(handChecks, `no file in "checked by" parses with ${name} or calls a named check`).not.toEqual([]);
    const proofs = checkers.filter(([path]) => path.startsWith('test/')).map(([, found]) => readFileSync(found!, 'utf8'));
    expect(proofs, `the row must name the test proving ${handChecks[0]} equal to ${name}`).not.toEqual([]);
    expect(proofs.some((proof) => proof.includes(handChecks[0]) && proof.includes(`${name}.safeParse(`))).toBe(true);
  });
});
