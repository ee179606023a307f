import { hexlify, Wallet } from 'ethers';
import type { TypedData } from '../../shared/chain/eip712';
import { toHex } from '../../shared/crypto/bytes';
import type { Account } from '../../shared/crypto/identity';

/**
 * Signing for the queue, in the background only, with an account derived from the patient's seed.
 *
 * Nonces are unordered (contracts/UnorderedNonces.sol): each action takes a fresh random 256-bit nonce
 * when it is queued, so no action waits for another, a withheld or stuck one never blocks the next, and
 * two devices restored from one phrase never pick the same one. The cost is a fresh bitmap word per
 * action on chain (a cold storage write, paid by the relayer) instead of a bit in a warm word; the
 * queue chooses independence. Every re-signing of one action keeps its nonce, so at most one of its
 * signatures can ever land.
 */
export function randomNonce(): bigint {
  return BigInt(`0x${toHex(crypto.getRandomValues(new Uint8Array(32)))}`);
}

/** How long a signature stays valid, counted from the latest block's timestamp (not this clock). */
export const DEADLINE_SECONDS = 10 * 60;

/** EIP-712 signature by `account` (65-byte hex, what the relayer takes). */
export async function signTypedData<M extends object>(account: Account, td: TypedData<M>): Promise<string> {
  const wallet = new Wallet(hexlify(account.privateKey));
  if (wallet.address.toLowerCase() !== account.address.toLowerCase()) throw new Error('derived account mismatch');
  return wallet.signTypedData(td.domain, td.types, td.message as Record<string, unknown>);
}
