// Chain reads for a third-party check, over plain JSON-RPC (any node: a local Hardhat node, a public
// RPC). Which RecordAnchor to believe never comes from the file being checked: a forged file could name
// a contract that says "anchored" to everything. It comes from --contract, or from the deployment
// committed in this repository for that chain id (shared/chain/deployments).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Contract, JsonRpcProvider, Network, getAddress } from 'ethers';
import { RecordAnchorAbi } from '../../shared/chain/abis';

const DEPLOYMENTS_DIR = resolve(__dirname, '..', '..', 'shared', 'chain', 'deployments');
const RPC_TIMEOUT_MS = 10_000;

export class ChainUnreachable extends Error {}

/** The RecordAnchor this verifier trusts on `chainId`, and the block its event scans may start from. */
export function trustedAnchor(chainId: number, override?: string): { address: string; fromBlock: number } | undefined {
  if (override) return { address: getAddress(override), fromBlock: 0 };
  const file = join(DEPLOYMENTS_DIR, chainId === 31337 ? 'local.json' : `chain-${chainId}.json`);
  if (!existsSync(file)) return undefined;
  const d = JSON.parse(readFileSync(file, 'utf8')) as { chainId: number; contracts: { RecordAnchor: string }; deployedAt?: number };
  if (d.chainId !== chainId) return undefined;
  return { address: getAddress(d.contracts.RecordAnchor), fromBlock: d.deployedAt ?? 0 };
}

/** eth_chainId with a deadline, so a dead or silent node ends the check instead of hanging it. */
export async function rpcChainId(rpcUrl: string): Promise<number> {
  let res: Response;
  try {
    res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ChainUnreachable(`no answer from ${rpcUrl} (${cause})`);
  }
  const body = (await res.json().catch(() => undefined)) as { result?: string } | undefined;
  if (!res.ok || typeof body?.result !== 'string') throw new ChainUnreachable(`${rpcUrl} answered HTTP ${res.status} without a chain id`);
  return Number(BigInt(body.result));
}

export interface AnchorEvent {
  blockNumber: number;
  txHash: string;
  anchorer: string;
  count: number;
}

/** The few reads a check needs, each a plain eth_call or eth_getLogs. */
export class AnchorReader {
  readonly provider: JsonRpcProvider;
  readonly contract: Contract;

  constructor(rpcUrl: string, chainId: number, address: string) {
    this.provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
    this.contract = new Contract(address, RecordAnchorAbi, this.provider);
  }

  async hasCode(): Promise<boolean> {
    return (await this.provider.getCode(this.contract.target as string)) !== '0x';
  }

  /** RecordAnchor.verify: the contract hashes the leaf and walks the proof itself. */
  async verify(account: string, leaf: string, proof: readonly string[]): Promise<{ anchorer: string; anchoredAt: number }> {
    const [anchorer, anchoredAt] = (await this.contract.verify(account, leaf, [...proof])) as [string, bigint];
    return { anchorer, anchoredAt: Number(anchoredAt) };
  }

  /** RecordAnchor.anchorOf: one read per batch root (how "verify all" avoids one call per record). */
  async anchorOf(account: string, root: string): Promise<{ anchorer: string; anchoredAt: number }> {
    const [anchorer, anchoredAt] = (await this.contract.anchorOf(account, root)) as [string, bigint];
    return { anchorer, anchoredAt: Number(anchoredAt) };
  }

  /**
   * The Anchored(account, root) event: first in the block the file names (one cheap query; 0 = not known), else from
   * `fromBlock` on. Both topics are indexed, so the node filters; there is at most one such event.
   */
  async anchoredEvent(account: string, root: string, hintBlock: number, fromBlock: number): Promise<AnchorEvent | undefined> {
    const filter = this.contract.filters.Anchored(account, root);
    let logs = hintBlock > 0 ? await this.contract.queryFilter(filter, hintBlock, hintBlock) : [];
    if (logs.length === 0) logs = await this.contract.queryFilter(filter, fromBlock, 'latest');
    const log = logs[0];
    if (!log || !('args' in log)) return undefined;
    return { blockNumber: log.blockNumber, txHash: log.transactionHash, anchorer: getAddress(log.args.anchorer as string), count: Number(log.args.count) };
  }

  close(): void {
    this.provider.destroy();
  }
}
