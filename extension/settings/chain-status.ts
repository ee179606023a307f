import type { ChainStatus } from '../../shared/protocol/ui/settings';
import type { Settings } from '../../shared/settings/schema';

export type { ChainStatus } from '../../shared/protocol/ui/settings';

/**
 * Is the configured chain reachable, and is it the chain the settings say? A plain JSON-RPC call
 * (no ethers here: the answer is one number). Never pretends: unreachable is reported as such.
 */
export async function chainStatus(settings: Pick<Settings, 'rpcUrl' | 'chainId'>, timeoutMs = 3000): Promise<ChainStatus> {
  try {
    const res = await fetch(settings.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { result?: string };
    const chainId = Number.parseInt(body.result ?? '', 16);
    if (!Number.isSafeInteger(chainId)) return { reachable: false, message: 'The chain answered, but not like an Ethereum node.' };
    const matches = chainId === settings.chainId;
    return {
      reachable: true,
      chainId,
      matches,
      message: matches ? `Connected to chain ${chainId}.` : `The node is on chain ${chainId}, but settings say ${settings.chainId}.`,
    };
  } catch {
    return { reachable: false, message: `The chain at ${settings.rpcUrl} is not reachable. Consent and anchoring are unavailable until it is.` };
  }
}
