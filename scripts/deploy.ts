// Deploys ProviderDirectory, ConsentRegistry and RecordAnchor to a running node over plain JSON-RPC,
// from the artifacts of `npx hardhat compile`, and seeds account #1 as a verifier.
// On the local Hardhat node (default mnemonic, fresh chain, deployer = account #0) the addresses are
// deterministic, so shared/chain/deployments/local.json is committed.
// CLI: npx tsx scripts/deploy.ts --rpc http://127.0.0.1:8545 [--no-write]
import { ContractFactory, JsonRpcProvider, type Signer, type InterfaceAbi } from 'ethers';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
export const DEPLOYMENTS_DIR = join(ROOT, 'shared', 'chain', 'deployments');
/** Delay before a new default admin of the directory can take over (two-step transfer). */
export const ADMIN_DELAY_SECONDS = 2 * 24 * 3600;

export interface Deployment {
  chainId: number;
  contracts: { ConsentRegistry: string; RecordAnchor: string; ProviderDirectory: string };
  verifier: string;
  deployedAt: number;
}

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
}

/** Reads artifacts/<sourcePath>/<name>.json; throws a helpful error when not compiled yet. */
export function loadArtifact(name: string, sourcePath = `contracts/${name}.sol`): Artifact {
  const file = join(ROOT, 'artifacts', sourcePath, `${name}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Artifact;
  } catch (err) {
    throw new Error(`missing artifact ${file}: run \`npx hardhat compile\` first (${String(err)})`, { cause: err });
  }
}

export async function deployContract(signer: Signer, name: string, args: unknown[], sourcePath?: string) {
  const { abi, bytecode } = loadArtifact(name, sourcePath);
  const contract = await new ContractFactory(abi, bytecode, signer).deploy(...args);
  const receipt = await contract.deploymentTransaction()!.wait();
  return { contract, address: await contract.getAddress(), blockNumber: receipt!.blockNumber };
}

export async function deployAll(rpcUrl: string, opts: { write?: boolean } = {}): Promise<Deployment> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const { chainId } = await provider.getNetwork();
    const accounts = await provider.listAccounts();
    if (accounts.length < 2) throw new Error('the node must expose at least two unlocked accounts');
    const deployer = accounts[0];
    const verifier = accounts[1].address;

    const directory = await deployContract(deployer, 'ProviderDirectory', [ADMIN_DELAY_SECONDS, deployer.address]);
    const consent = await deployContract(deployer, 'ConsentRegistry', [directory.address]);
    const anchor = await deployContract(deployer, 'RecordAnchor', [consent.address]);

    const role = (await directory.contract.getFunction('VERIFIER_ROLE')()) as string;
    await (await directory.contract.getFunction('grantRole')(role, verifier)).wait();

    const deployment: Deployment = {
      chainId: Number(chainId),
      contracts: {
        ConsentRegistry: consent.address,
        RecordAnchor: anchor.address,
        ProviderDirectory: directory.address,
      },
      verifier,
      deployedAt: directory.blockNumber,
    };
    if (opts.write !== false) {
      mkdirSync(DEPLOYMENTS_DIR, { recursive: true });
      // Only the local Hardhat chain (31337) is "local"; any other chain gets its own file.
      const name = deployment.chainId === 31337 ? 'local' : `chain-${deployment.chainId}`;
      writeFileSync(join(DEPLOYMENTS_DIR, `${name}.json`), JSON.stringify(deployment, null, 2) + '\n');
    }
    return deployment;
  } finally {
    provider.destroy();
  }
}

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const rpc = argValue('--rpc') ?? `http://127.0.0.1:${process.env.SECUREMED_CHAIN_PORT ?? 8545}`;
  deployAll(rpc, { write: !process.argv.includes('--no-write') })
    .then((d) => console.log(JSON.stringify(d, null, 2)))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
