// The vault's anchoring account: the RecordAnchor `patient` of every batch this vault anchors.
//
//   anchoring account   BIP-32  m/44'/60'/7877'/3/0'   (shared/crypto/identity.ts has the rest of the map)
//
// Its own hardened branch, so it links to none of the patient's other accounts (messaging, pairwise
// consent accounts, relationship identities): the chain sees one more pseudonymous address that only
// ever anchors roots. Every device restored from the phrase derives the same account, so the chain's
// Anchored events for it are the vault's whole anchoring history — which an old backup or a stale
// replica cannot roll back (extension/anchoring/README.md, "Rollback").
import { deriveAccount, SECUREMED_ACCOUNT_PATH, type Account } from '../crypto/identity';

export const ANCHORING_PATH = `${SECUREMED_ACCOUNT_PATH}/3/0'`;

export function deriveAnchoringAccount(seed: Uint8Array): Account {
  return deriveAccount(seed, ANCHORING_PATH);
}
