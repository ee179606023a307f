import type { Verification } from '../../shared/protocol/ui/messaging';
import { isVerifiedProvider } from '../chain/reads';
import { logError } from '../logging/log';

/**
 * Is a counterparty a verified provider? ProviderDirectory.isVerifiedProvider through the background's
 * chain client (extension/chain/). When the chain (or the contract) does not answer, the answer is
 * "unavailable", never a guess. Definite answers are kept for a few minutes per worker (a provider's
 * status changes rarely, and a thread asks on every open); an unreachable chain is asked again next time.
 */
// The view types are declared with the requests they answer (shared/protocol/ui/messaging.ts).
export type { Verification } from '../../shared/protocol/ui/messaging';

const TTL_MS = 5 * 60_000;

export async function verification(peer: string): Promise<Verification> {
  try {
    return (await isVerifiedProvider(peer, TTL_MS)) ? 'verified' : 'unverified';
  } catch (error) {
    logError('messaging', 'provider verification: chain unavailable', error);
    return 'unavailable';
  }
}
