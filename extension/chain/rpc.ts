import { Contract, FetchRequest, isError, JsonRpcProvider, Network, type InterfaceAbi } from 'ethers';
import { ConsentRegistryAbi, ProviderDirectoryAbi, RecordAnchorAbi } from '../../shared/chain/abis';
import { UiError } from '../../shared/protocol/ui-errors';
import type { Settings } from '../../shared/settings/schema';
import { readSettings } from '../settings/store';

/**
 * The background's one door to the chain: an ethers provider for the configured RPC and chain, calls
 * with a short timeout, answers cached for a few seconds, and honest errors. When the RPC does not
 * answer, or our contract is not at the configured address, the caller gets a UiError('unavailable')
 * saying so in words — never a guess and never a cached "no".
 */
export const RPC_TIMEOUT_MS = 4_000;
/** Long enough to absorb a page asking twice, short enough that a confirmed action shows at once. */
export const READ_TTL_MS = 4_000;

export type ContractName = keyof Settings['contracts'];
const ABIS: Record<ContractName, InterfaceAbi> = {
  ConsentRegistry: ConsentRegistryAbi,
  RecordAnchor: RecordAnchorAbi,
  ProviderDirectory: ProviderDirectoryAbi,
};
const WHAT: Record<ContractName, string> = {
  ConsentRegistry: 'consent',
  RecordAnchor: 'anchor',
  ProviderDirectory: 'directory',
};

export interface ChainContext {
  settings: Settings;
  provider: JsonRpcProvider;
  contract(name: ContractName): Contract;
}

let current: { key: string; context: ChainContext } | undefined;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

/** The provider and contracts for the settings in force now (a new RPC or chain gets a new provider). */
export async function chainContext(): Promise<ChainContext> {
  const settings = await readSettings();
  const key = `${settings.rpcUrl}|${settings.chainId}|${JSON.stringify(settings.contracts)}`;
  if (current?.key !== key) {
    current?.context.provider.destroy();
    cache.clear();
    const request = new FetchRequest(settings.rpcUrl);
    request.timeout = RPC_TIMEOUT_MS;
    // staticNetwork: no eth_chainId polling (and no endless "retry in 1s" while the RPC is down).
    const provider = new JsonRpcProvider(request, Network.from(settings.chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1, polling: false });
    const contracts = new Map<ContractName, Contract>();
    const contract = (name: ContractName) => {
      let c = contracts.get(name);
      if (!c) contracts.set(name, (c = new Contract(settings.contracts[name], ABIS[name], provider)));
      return c;
    };
    current = { key, context: { settings, provider, contract } };
  }
  return current.context;
}

/** The chain did not answer, or answered like something that is not our contract: words for the patient. */
export function chainUnavailable(settings: Settings, error: unknown, contract?: ContractName): UiError {
  if (contract && isError(error, 'BAD_DATA')) {
    // eth_call on an address without code returns "0x", which does not decode.
    return new UiError('unavailable', `The chain at ${settings.rpcUrl} has no SecureMed ${WHAT[contract]} contract at ${settings.contracts[contract]}. Check the network settings.`);
  }
  return new UiError('unavailable', `The chain at ${settings.rpcUrl} does not answer right now. SecureMed will try again; nothing is lost.`);
}

/** A revert is an answer (the contract refused); anything else is "the chain is unavailable". */
export function isRevert(error: unknown): boolean {
  return isError(error, 'CALL_EXCEPTION') && error.reason !== null && error.data !== null && error.data !== '0x';
}

/**
 * Call a view of one of our contracts, cached for `ttlMs` per (settings, contract, method, args).
 * Only answers are cached: a failure is asked again next time.
 */
export async function readContract<T>(name: ContractName, method: string, args: readonly unknown[], ttlMs = READ_TTL_MS): Promise<T> {
  const ctx = await chainContext();
  const key = `${name}.${method}(${args.map((a) => String(a).toLowerCase()).join(',')})`;
  return cached(key, ttlMs, async () => {
    try {
      return (await ctx.contract(name).getFunction(method).staticCall(...args)) as T;
    } catch (error) {
      if (isRevert(error)) throw error;
      throw chainUnavailable(ctx.settings, error, name);
    }
  });
}

/** Any other provider read (a block, a receipt), with the same errors; `ttlMs` 0 = not cached. */
export async function readChain<T>(key: string, ttlMs: number, read: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
  const ctx = await chainContext();
  return cached(key, ttlMs, async () => {
    try {
      return await read(ctx.provider);
    } catch (error) {
      throw chainUnavailable(ctx.settings, error);
    }
  });
}

function cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < ttlMs) return hit.value as Promise<T>;
  const value = load();
  if (ttlMs > 0) {
    cache.set(key, { at: Date.now(), value });
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
  }
  return value;
}

/** After a change we made ourselves landed: the next read must see it, not a cached answer. */
export function forgetChainReads(): void {
  cache.clear();
}
