// What a check ends with: either the facts the chain confirmed, or one failure kind with a sentence a
// doctor or a court clerk can read and the figures behind it.

export const FAILURE_KINDS = [
  'malformed-file', // not JSON, or not the proof file format (zod)
  'record-modified', // the record's bytes, id or version are not what was anchored
  'content-mismatch', // the readable copy / included key do not match the anchored ciphertext
  'wrong-proof', // the proof does not lead from the record to the file's root
  'unknown-root', // the root was never anchored for that account by the trusted contract
  'claim-mismatch', // the file's anchoring time or block disagrees with the chain
  'wrong-chain', // the RPC serves another chain than the file's
  'untrusted-contract', // the file names a contract that is not SecureMed's RecordAnchor on that chain
  'chain-unreachable', // the RPC did not answer, or the contract is not on that node
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  ok: false;
  kind: FailureKind;
  message: string;
  details: string[];
}

export function fail(kind: FailureKind, message: string, details: string[] = []): Failure {
  return { ok: false, kind, message, details };
}

export interface Verified {
  ok: true;
  recordId: string;
  version: number;
  contentHash: string;
  leaf: string;
  root: string;
  chainId: number;
  contract: string;
  /** The account the batch was anchored for (RecordAnchor's `patient`). */
  account: string;
  /** Who sent the anchoring: the account itself, or a grantee with write access (anchorFor). */
  anchorer: string;
  blockNumber: number;
  /** Unix seconds, from the chain. */
  anchoredAt: number;
  txHash: string;
  /** The batch size the chain was told (padded). */
  count: number;
  /** The readable copy was checked against the ciphertext with the included key. */
  contentChecked: boolean;
  /** The proof also verified through RecordAnchor.verify (an eth_call), not only off chain. */
  onChainProof: true;
}

export type Outcome = Verified | Failure;
