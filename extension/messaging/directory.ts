import { keccak_256 } from '@noble/hashes/sha3.js';
import { toHex, utf8 } from '../../shared/crypto/bytes';
import type { Verification } from '../../shared/protocol/ui/messaging';
import { readSettings } from '../settings/store';

/**
 * Is a counterparty a verified provider? One read-only `eth_call` to ProviderDirectory.isVerifiedProvider
 * at the configured RPC. When the chain (or the contract) does not answer, the answer is "unavailable",
 * never a guess. Answers are cached for a few minutes per worker.
 */
// The view types are declared with the requests they answer (shared/protocol/ui/messaging.ts).
export type { Verification } from '../../shared/protocol/ui/messaging';

const SELECTOR = toHex(keccak_256(utf8('isVerifiedProvider(address)')).subarray(0, 4));
const TTL_MS = 5 * 60_000;
const cache = new Map<string, { value: Verification; at: number }>();

export async function verification(peer: string, timeoutMs = 2500): Promise<Verification> {
  const settings = await readSettings();
  const key = `${settings.rpcUrl}|${settings.contracts.ProviderDirectory}|${peer.toLowerCase()}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = await ask(settings.rpcUrl, settings.contracts.ProviderDirectory, peer, timeoutMs);
  // Only definite answers are cached: an unreachable chain is asked again next time.
  if (value !== 'unavailable') cache.set(key, { value, at: Date.now() });
  return value;
}

async function ask(rpcUrl: string, directory: string, peer: string, timeoutMs: number): Promise<Verification> {
  const data = `0x${SELECTOR}${peer.toLowerCase().replace(/^0x/, '').padStart(64, '0')}`;
  try {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: directory, data }, 'latest'] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { result?: unknown };
    // A bool is one 32-byte word; "0x" means no contract at that address: not an answer.
    if (typeof body.result !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(body.result)) return 'unavailable';
    return BigInt(body.result) === 1n ? 'verified' : 'unverified';
  } catch {
    return 'unavailable';
  }
}
