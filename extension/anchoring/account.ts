import { deriveAnchoringAccount } from '../../shared/anchoring/account';
import type { Account } from '../../shared/crypto/identity';
import { LockedError } from '../records/vault-keys';
import { unlocked } from '../keys/unlocked';

/** The unlocked vault's anchoring account (derived once per seed; a different vault gets its own). */
let cached: { seed: Uint8Array; account: Account } | undefined;

export async function anchoringAccount(): Promise<Account> {
  const state = await unlocked();
  if (!state) {
    cached = undefined;
    throw new LockedError();
  }
  if (cached?.seed !== state.seed) cached = { seed: state.seed, account: deriveAnchoringAccount(state.seed) };
  return cached.account;
}
