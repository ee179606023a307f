import { ZeroHash } from 'ethers';
import { chainContext, forgetChainReads, readChain, readContract, READ_TTL_MS } from './rpc';

/**
 * What the rest of the product asks the chain (all views, no keys): consent, the provider/key
 * directory, anchors, nonces, and the latest block's time. Every function throws
 * UiError('unavailable') in words when the chain does not answer (rpc.ts).
 */
export { forgetChainReads };

/** Grant as the ConsentRegistry stores it (grantOf): one packed slot. */
export interface GrantState {
  scopes: number;
  expiresAt: bigint;
  grantedAt: bigint;
  emergencyUntil: bigint;
  emergencyDelegate: boolean;
  /** Bumped by every change to the pair: a signature for an older epoch is stale. */
  epoch: number;
}

export async function hasAccess(patient: string, grantee: string, scope: number): Promise<boolean> {
  return readContract<boolean>('ConsentRegistry', 'hasAccess', [patient, grantee, scope]);
}

export async function grantOf(patient: string, grantee: string): Promise<GrantState> {
  const g = await readContract<{ scopes: bigint; expiresAt: bigint; grantedAt: bigint; emergencyUntil: bigint; emergencyDelegate: boolean; epoch: bigint }>(
    'ConsentRegistry',
    'grantOf',
    [patient, grantee],
  );
  return { scopes: Number(g.scopes), expiresAt: g.expiresAt, grantedAt: g.grantedAt, emergencyUntil: g.emergencyUntil, emergencyDelegate: g.emergencyDelegate, epoch: Number(g.epoch) };
}

export interface DirectoryStatus {
  /** Attested by a verifier that still holds the role, and not expired (isVerifiedProvider). */
  verified: boolean;
  /** When the licence attestation lapses (block time, seconds); undefined when never attested. */
  licenceExpiresAt?: bigint;
  /** The published X25519 key (0x + 64 hex), undefined when none. */
  encryptionKey?: string;
}

/** A provider's (or anyone's) entry in the directory. `ttlMs` lets a caller keep a definite answer longer. */
export async function directoryStatus(account: string, ttlMs = READ_TTL_MS): Promise<DirectoryStatus> {
  const [verified, attestation, key] = await Promise.all([
    isVerifiedProvider(account, ttlMs),
    readContract<[string, string, bigint]>('ProviderDirectory', 'attestationOf', [account], ttlMs),
    encryptionKeyOf(account, ttlMs),
  ]);
  const expiresAt = attestation[2];
  return { verified, ...(expiresAt > 0n ? { licenceExpiresAt: expiresAt } : {}), ...(key ? { encryptionKey: key } : {}) };
}

export function isVerifiedProvider(account: string, ttlMs = READ_TTL_MS): Promise<boolean> {
  return readContract<boolean>('ProviderDirectory', 'isVerifiedProvider', [account], ttlMs);
}

/** The published key, or undefined when the account has none. */
export async function encryptionKeyOf(account: string, ttlMs = READ_TTL_MS): Promise<string | undefined> {
  const key = await readContract<string>('ProviderDirectory', 'encryptionKeyOf', [account], ttlMs);
  return key === ZeroHash ? undefined : key.toLowerCase();
}

export interface AnchorInfo {
  anchorer: string;
  /** Block time (seconds) of the anchoring. */
  anchoredAt: bigint;
}

/** The anchoring of one batch root; undefined when the root was never anchored for this patient. */
export async function anchorOf(patient: string, root: string): Promise<AnchorInfo | undefined> {
  const [anchorer, anchoredAt] = await readContract<[string, bigint]>('RecordAnchor', 'anchorOf', [patient, root]);
  return anchoredAt === 0n ? undefined : { anchorer, anchoredAt };
}

/** Is `leaf` (a record's content hash) in a batch this patient anchored? Not cached: a proof is asked once. */
export async function verifyAnchor(patient: string, leaf: string, proof: readonly string[]): Promise<AnchorInfo | undefined> {
  const [anchorer, anchoredAt] = await readContract<[string, bigint]>('RecordAnchor', 'verify', [patient, leaf, proof], 0);
  return anchoredAt === 0n ? undefined : { anchorer, anchoredAt };
}

/** Used or cancelled in that contract's bitmap (each contract has its own). Never cached. */
export function isNonceUsed(contract: 'ConsentRegistry' | 'ProviderDirectory', signer: string, nonce: bigint): Promise<boolean> {
  return readContract<boolean>(contract, 'isNonceUsed', [signer, nonce], 0);
}

/** The latest block's timestamp (seconds): deadlines and expiries are block time, not this machine's clock. */
export async function latestBlockTime(): Promise<bigint> {
  return readChain('block:latest', 1_000, async (provider) => {
    const block = await provider.getBlock('latest');
    if (!block) throw new Error('no latest block');
    return BigInt(block.timestamp);
  });
}

export interface Inclusion {
  txHash: string;
  blockNumber: number;
  /** status 1 (success) or 0 (reverted). */
  success: boolean;
}

/** The receipt of a transaction, undefined while the chain does not know it (pending, or forgotten). */
export async function receiptOf(txHash: string): Promise<Inclusion | undefined> {
  return readChain(`receipt:${txHash}`, 0, async (provider) => {
    const r = await provider.getTransactionReceipt(txHash);
    return r ? { txHash: r.hash, blockNumber: r.blockNumber, success: r.status === 1 } : undefined;
  });
}

/** How far back a "did it land some other way?" search looks: recent blocks only (RPCs cap log ranges). */
const LOG_LOOKBACK_BLOCKS = 50_000;

/** The latest EncryptionKeySet of `account` with exactly `key`, if it happened in recent blocks. */
export async function findKeyPublication(account: string, key: string): Promise<Inclusion | undefined> {
  const directory = (await chainContext()).contract('ProviderDirectory');
  return readChain(`keylog:${account}:${key}`, 0, async (provider) => {
    const latest = await provider.getBlockNumber();
    const events = await directory.queryFilter(directory.filters.EncryptionKeySet!(account), Math.max(0, latest - LOG_LOOKBACK_BLOCKS), latest);
    const mine = events.filter((e) => 'args' in e && String(e.args[1]).toLowerCase() === key.toLowerCase()).at(-1);
    return mine ? { txHash: mine.transactionHash, blockNumber: mine.blockNumber, success: true } : undefined;
  });
}
