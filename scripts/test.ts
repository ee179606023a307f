/**
 * `npm test`: every layer, in an order that keeps a 2-core machine calm and failures readable.
 *   1. unit + contracts + integration (vitest projects, in parallel where they can be)
 *   2. e2e (builds the extension, drives it in the system Chromium)
 * Extra arguments go to vitest, e.g. `npm test -- --project unit`.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const vitest = join(ROOT, 'node_modules', '.bin', 'vitest');
const extra = process.argv.slice(2);

function run(label: string, args: string[]): number {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const { status } = spawnSync(vitest, ['run', ...args], { cwd: ROOT, stdio: 'inherit' });
  console.log(`◀ ${label}: ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status ?? 1;
}

// The contract tests and the local-stack test read compiled artifacts: compile once, up front, so
// parallel test workers never race to compile.
const compiled = spawnSync(join(ROOT, 'node_modules', '.bin', 'hardhat'), ['compile', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const code = extra.length > 0
  ? run('vitest ' + extra.join(' '), extra)
  : run('unit, contracts, integration', ['--project', 'unit', '--project', 'contracts', '--project', 'integration']) ||
    run('e2e in Chromium', ['--project', 'e2e']);
process.exit(code);
