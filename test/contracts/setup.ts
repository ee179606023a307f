// Hardhat 2 `require`s hardhat.config.ts natively; inside vitest nobody has registered a TypeScript
// loader for Node's require, so register ts-node here, before any test file imports 'hardhat'.
// Transpile-only and CommonJS: the repository tsconfig says ESNext modules, which Node's require
// would then treat as ESM. Each vitest worker runs this once and gets its own in-process chain.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.HARDHAT_NETWORK ??= 'hardhat';
// Hardhat itself calls ts-node/register when it finds a .ts config; with these variables that second
// registration is CommonJS + transpile-only too.
process.env.TS_NODE_COMPILER_OPTIONS = JSON.stringify({ module: 'commonjs', moduleResolution: 'node' });
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs', moduleResolution: 'node' } });

// Tests deploy from artifacts/; compiling here would race between parallel workers, so fail clearly.
if (!existsSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../artifacts/contracts/ConsentRegistry.sol/ConsentRegistry.json'))) {
  throw new Error('contract artifacts missing: run `npx hardhat compile` before the contract tests');
}
