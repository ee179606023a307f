// Hardhat 2 loads this file through ts-node with the repository tsconfig (module ESNext), and Node
// would then treat `import`/`export` here as ESM and fail to resolve 'hardhat/config'. So this file
// has no import/export statements: plain require() + module.exports stay CommonJS under any setting.
// Types come in through `import()` type expressions, which are erased.
{
  const { subtask } = require('hardhat/config') as typeof import('hardhat/config');
  const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } =
    require('hardhat/builtin-tasks/task-names') as typeof import('hardhat/builtin-tasks/task-names');
  require('@nomicfoundation/hardhat-ethers');

  // Offline compiler: Hardhat 2 otherwise downloads the compiler list (HH502) and this machine has no
  // internet. Hand it the wasm build shipped in the `solc` npm package, for exactly that version.
  const SOLC_VERSION = '0.8.30';

  subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
    if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
    const solcPkg = require('solc/package.json') as { version: string };
    const solc = require('solc') as { version(): string };
    if (solcPkg.version !== SOLC_VERSION) {
      throw new Error(`solc npm package is ${solcPkg.version}, hardhat.config.ts expects ${SOLC_VERSION}`);
    }
    return {
      compilerPath: require.resolve('solc/soljson.js'),
      isSolcJs: true,
      version: solcPkg.version,
      longVersion: solc.version(),
    };
  });

  const networks: import('hardhat/types').NetworksUserConfig = {
    hardhat: {},
    localhost: { url: `http://127.0.0.1:${Number(process.env.SECUREMED_CHAIN_PORT ?? 8545)}` },
  };
  // A public network exists only when both the RPC URL and the deployer key come from the
  // environment: nothing secret or network-specific is committed.
  if (process.env.SECUREMED_RPC_URL && process.env.SECUREMED_DEPLOYER_KEY) {
    networks.public = { url: process.env.SECUREMED_RPC_URL, accounts: [process.env.SECUREMED_DEPLOYER_KEY] };
  }

  const hardhatConfig: import('hardhat/types').HardhatUserConfig = {
    solidity: {
      version: SOLC_VERSION,
      settings: {
        optimizer: { enabled: true, runs: 10_000 },
        // Via-IR: measured by scripts/bench/gas.ts, grantBySig -480 gas, anchor -290, revoke -130 against
        // the legacy pipeline (grant +30: via-IR dispatches selectors linearly). Full compile with the
        // wasm solc ~11 s. See contracts/README.md (Gas).
        viaIR: true,
        // Explicit: Hardhat 2 otherwise pins `paris` for compiler versions it does not know.
        evmVersion: 'cancun',
      },
    },
    paths: { sources: './contracts' },
    networks,
  };

  module.exports = hardhatConfig;
}
