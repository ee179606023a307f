// A real local chain (Hardhat node process), our contracts deployed on it, and the relayer in this
// process, for the relayer integration tests. Patients are fresh wallets with no ETH: they only sign.
import { createServer } from 'node:net';
import { Contract, JsonRpcProvider, Network, Wallet, hexlify, randomBytes } from 'ethers';
import { deployAll, type Deployment } from '../../../scripts/deploy';
import { startLocalChain, type LocalChain } from '../../../scripts/lib/chain';
import { hardhatDevKey } from '../../../scripts/relayer/config';
import { startRelayer, type Relayer, type RelayerOptions } from '../../../scripts/relayer/server';
import { ConsentRegistryAbi, ProviderDirectoryAbi, RecordAnchorAbi } from '../../../shared/chain/abis';
import {
  anchorDomain, anchorTypedData, consentDomain, directoryDomain, emergencyDelegateTypedData, encryptionKeyTypedData, grantTypedData,
  revokeTypedData, type TypedData,
} from '../../../shared/chain/eip712';
import { relayRequest, relayerStatus, type RelayFunction, type RelayRequest, type RelayStatus } from '../../../shared/chain/relayer';
import { Scope } from '../../../shared/chain/scopes';
import { EXTENSION_ORIGIN } from '../../../shared/settings/extension-id';

/** The extension's fixed origin, which the relayer allows by default. */
export const ALLOWED_ORIGIN = EXTENSION_ORIGIN;
/** The paying account in these tests (not #19, which the local stack uses). */
export const TEST_RELAYER_KEY = hardhatDevKey(18);

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

export interface ChainStack {
  chain: LocalChain;
  deployment: Deployment;
  provider: JsonRpcProvider;
  consent: Contract;
  anchor: Contract;
  directory: Contract;
  /** Latest block timestamp: deadlines and expiries come from block time. */
  blockTime(): Promise<bigint>;
  redeploy(): Promise<void>;
  /** After a test that stopped the chain: start it again with the same contracts (no-op when running). */
  ensureRunning(): Promise<void>;
  close(): Promise<void>;
}

export async function startChainStack(): Promise<ChainStack> {
  const chain = await startLocalChain(await freePort());
  const deployment = await deployAll(chain.url, { write: false });
  const provider = new JsonRpcProvider(chain.url, Network.from(deployment.chainId), { staticNetwork: true, cacheTimeout: -1 });
  const c = deployment.contracts;
  const redeploy = async () => {
    const again = await deployAll(chain.url, { write: false });
    if (JSON.stringify(again.contracts) !== JSON.stringify(deployment.contracts)) throw new Error('redeploy gave other addresses');
  };
  return {
    chain,
    deployment,
    provider,
    consent: new Contract(c.ConsentRegistry, ConsentRegistryAbi, provider),
    anchor: new Contract(c.RecordAnchor, RecordAnchorAbi, provider),
    directory: new Contract(c.ProviderDirectory, ProviderDirectoryAbi, provider),
    blockTime: async () => BigInt((await provider.getBlock('latest'))!.timestamp),
    redeploy,
    async ensureRunning() {
      if (chain.running()) return;
      await chain.start();
      await redeploy();
    },
    async close() {
      provider.destroy();
      await chain.stop();
    },
  };
}

export function startTestRelayer(stack: ChainStack, over: Partial<RelayerOptions> = {}): Promise<Relayer> {
  return startRelayer({
    rpcUrl: stack.chain.url,
    deployment: stack.deployment,
    privateKey: TEST_RELAYER_KEY,
    allowedOrigins: [ALLOWED_ORIGIN],
    retry: { baseDelayMs: 100, maxDelayMs: 500, pollMs: 50, lostAfterPolls: 4 },
    ...over,
  });
}

export const patientWallet = () => new Wallet(Wallet.createRandom().privateKey);
export const randomAddress = () => Wallet.createRandom().address;
export const randomHash = () => hexlify(randomBytes(32));

async function signed<M extends object>(fn: RelayFunction, stack: ChainStack, signer: Wallet, td: TypedData<M>): Promise<RelayRequest> {
  const sig = await signer.signTypedData(td.domain, td.types, td.message as Record<string, unknown>);
  return relayRequest(fn, stack.deployment.chainId, td.domain.verifyingContract as string, td.message, sig);
}

/** A signed grant of `patient` to `grantee` against the pair's current epoch (unless given). */
export async function signGrant(
  stack: ChainStack,
  patient: Wallet,
  o: { grantee?: string; nonce?: bigint; scopes?: number; epoch?: number; deadline?: bigint; signer?: Wallet } = {},
): Promise<RelayRequest> {
  const t = await stack.blockTime();
  const grantee = o.grantee ?? randomAddress();
  const epoch = o.epoch ?? Number((await stack.consent.grantOf(patient.address, grantee)).epoch);
  const d = consentDomain(stack.deployment.chainId, stack.deployment.contracts.ConsentRegistry);
  const message = { patient: patient.address, grantee, scopes: o.scopes ?? Scope.LABS, expiresAt: t + 86_400n, purpose: randomHash(), epoch, nonce: o.nonce ?? 0n, deadline: o.deadline ?? t + 3600n };
  return signed('grantBySig', stack, o.signer ?? patient, grantTypedData(d, message));
}

export async function signRevoke(stack: ChainStack, patient: Wallet, grantee: string, nonce: bigint): Promise<RelayRequest> {
  const t = await stack.blockTime();
  const epoch = Number((await stack.consent.grantOf(patient.address, grantee)).epoch);
  const d = consentDomain(stack.deployment.chainId, stack.deployment.contracts.ConsentRegistry);
  return signed('revokeBySig', stack, patient, revokeTypedData(d, { patient: patient.address, grantee, epoch, nonce, deadline: t + 3600n }));
}

export async function signDelegate(stack: ChainStack, patient: Wallet, delegate: string, nonce: bigint): Promise<RelayRequest> {
  const t = await stack.blockTime();
  const epoch = Number((await stack.consent.grantOf(patient.address, delegate)).epoch);
  const d = consentDomain(stack.deployment.chainId, stack.deployment.contracts.ConsentRegistry);
  return signed('setEmergencyDelegateBySig', stack, patient, emergencyDelegateTypedData(d, { patient: patient.address, delegate, allowed: true, epoch, nonce, deadline: t + 3600n }));
}

export async function signAnchor(stack: ChainStack, patient: Wallet, root = randomHash()): Promise<RelayRequest> {
  const t = await stack.blockTime();
  const d = anchorDomain(stack.deployment.chainId, stack.deployment.contracts.RecordAnchor);
  return signed('anchorBySig', stack, patient, anchorTypedData(d, { patient: patient.address, root, count: 4n, deadline: t + 3600n }));
}

export async function signKey(stack: ChainStack, account: Wallet, nonce: bigint): Promise<RelayRequest> {
  const t = await stack.blockTime();
  const previousKey = (await stack.directory.encryptionKeyOf(account.address)) as string;
  const d = directoryDomain(stack.deployment.chainId, stack.deployment.contracts.ProviderDirectory);
  return signed('setEncryptionKeyBySig', stack, account, encryptionKeyTypedData(d, { account: account.address, key: randomHash(), previousKey, nonce, deadline: t + 3600n }));
}

/** Polls GET /v1/actions/:id until `done` holds. */
export async function waitForStatus(url: string, id: string, done: (s: RelayStatus) => boolean, timeoutMs = 30_000): Promise<RelayStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const r = await relayerStatus(url, id);
    if (r.ok && done(r.request)) return r.request;
    last = r.ok ? r.request : r.error;
    await new Promise((d) => setTimeout(d, 50));
  }
  throw new Error(`request ${id} did not reach the expected state; last: ${JSON.stringify(last)}`);
}

/** Raw HTTP with any headers and body (for Origin, size and shape checks). */
export async function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(url, { method: init.method ?? 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: init.body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}
