// Contract addresses per chain. local.json is written by scripts/deploy.ts; on a fresh local Hardhat
// node (default mnemonic, deployer = account #0) the addresses are deterministic, so it is committed
// and serves as the extension's default settings.
import local from './deployments/local.json';

export interface Deployment {
  chainId: number;
  contracts: { ConsentRegistry: string; RecordAnchor: string; ProviderDirectory: string };
  /** The verifier account the local stack seeds (Hardhat account #1). */
  verifier: string;
  /** Block of the first deployment: where event scans start. */
  deployedAt: number;
}

export const localDeployment: Deployment = local;
