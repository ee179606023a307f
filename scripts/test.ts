/**
 * `npm test`: every layer, in an order that keeps a 2-core machine calm and failures readable.
 *   1. lint (ESLint, with the import-boundary rules) and typecheck (tsc --noEmit): seconds, and a
 *      boundary crossed or a type broken fails the run before anything slow starts
 *   2. compile the contracts
 *   3. unit + contracts + integration (vitest projects, in parallel where they can be)
 *   4. e2e (builds the extension, drives it in the system Chromium)
 * Extra arguments go to vitest, e.g. `npm test -- --project unit` (lint and typecheck still run first).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const extra = process.argv.slice(2);

function step(label: string, command: string, args: string[]): number {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const { status } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  console.log(`◀ ${label}: ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status ?? 1;
}

const vitest = (label: string, args: string[]) => step(label, bin('vitest'), ['run', ...args]);

const code =
  step('lint (eslint .)', bin('eslint'), ['.']) ||
  step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']) ||
  // The contract tests, the ABI claim test and the local-stack test read compiled artifacts: compile
  // once, up front, so parallel test workers never race to compile.
  step('compile contracts', bin('hardhat'), ['compile', '--quiet']) ||
  (extra.length > 0
    ? vitest('vitest ' + extra.join(' '), extra)
    : vitest('unit, contracts, integration', ['--project', 'unit', '--project', 'contracts', '--project', 'integration']) ||
      vitest('e2e in Chromium', ['--project', 'e2e']));
process.exit(code);
