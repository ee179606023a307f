import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as abis from '../../../shared/chain/abis';

/**
 * shared/chain/abis.ts is generated from the compiled contracts (scripts/gen-abis.ts) and committed so
 * the extension builds without Solidity. This holds it to "equals what the compiled contracts give":
 * every `<Name>Abi` it exports must equal the ABI of contract <Name> in artifacts/ (which `npm test`
 * compiles before the unit tests run). A stale file fails here: regenerate with `npx tsx scripts/gen-abis.ts`.
 */
const ROOT = resolve(__dirname, '../../..');
const ARTIFACTS = join(ROOT, 'artifacts', 'contracts');

/** The ABI of contract <name>: artifacts/contracts/<name>.sol/<name>.json, or the one artifact of that name elsewhere. */
function compiledAbi(name: string): unknown[] | undefined {
  const read = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { abi?: unknown[] }).abi;
  const usual = join(ARTIFACTS, `${name}.sol`, `${name}.json`);
  if (existsSync(usual)) return read(usual);
  const matches: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === `${name}.json`) matches.push(path);
    }
  };
  walk(ARTIFACTS);
  if (matches.length > 1) throw new Error(`several compiled contracts named ${name}: ${matches.join(', ')}`);
  return matches[0] ? read(matches[0]) : undefined;
}

describe('shared/chain/abis.ts equals the compiled contracts', () => {
  const exported = Object.entries(abis).filter(([name]) => name.endsWith('Abi'));

  it('exports at least one ABI, and the contracts are compiled', () => {
    expect(exported.length).toBeGreaterThan(0);
    expect(existsSync(ARTIFACTS), 'artifacts/contracts is missing: run `npx hardhat compile` (npm test does)').toBe(true);
  });

  it.each(exported)('%s', (exportName, abi) => {
    const compiled = compiledAbi(exportName.slice(0, -'Abi'.length));
    expect(compiled, `no compiled contract for ${exportName}`).toBeDefined();
    // JSON round trip: the generated module holds plain JSON data (readonly tuples under `as const`).
    expect(JSON.parse(JSON.stringify(abi))).toEqual(compiled);
  });
});
