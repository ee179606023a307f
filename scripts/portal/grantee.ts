import { Contract, JsonRpcProvider, keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { ProviderDirectoryAbi } from '../../shared/chain/abis';
import type { Deployment } from '../deploy';
import { hardhatDevKey } from '../relayer/config';

/**
 * The demo portal's grantee: the key that signs its binding file offline (never served by the web
 * server) and the account the local stack's verifier attests in the ProviderDirectory, so the approval
 * window shows "Verified provider". A public Hardhat test key: local chain only.
 */
export const DEMO_GRANTEE_KEY = hardhatDevKey(7);
export const DEMO_GRANTEE = new Wallet(DEMO_GRANTEE_KEY).address;
/** The demo doctor's EHR (scripts/portal/ehr/): another provider, another key, another origin. */
export const DEMO_EHR_GRANTEE_KEY = hardhatDevKey(9);
export const DEMO_EHR_GRANTEE = new Wallet(DEMO_EHR_GRANTEE_KEY).address;

/** Attest `grantee` as a licensed provider for `days`, by the deployment's verifier (an unlocked node account). */
export async function attestGrantee(rpcUrl: string, deployment: Deployment, grantee = DEMO_GRANTEE, days = 365): Promise<void> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const verifier = await provider.getSigner(deployment.verifier);
    const directory = new Contract(deployment.contracts.ProviderDirectory, ProviderDirectoryAbi, verifier);
    const block = await provider.getBlock('latest');
    const expiresAt = BigInt(block!.timestamp) + BigInt(days * 86_400);
    const licence = keccak256(toUtf8Bytes(`demo licence ${grantee}`));
    await (await directory.getFunction('attestProvider')(grantee, licence, expiresAt)).wait();
  } finally {
    provider.destroy();
  }
}
