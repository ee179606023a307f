// EIP-712 typed data for every signed action of the SecureMed contracts. The type strings must match
// the *_TYPEHASH constants in contracts/*.sol exactly; test/contracts checks that through real
// signatures and the documented type strings. Each contract has its own domain (name below, version
// "1", chain id, its address) and, where it has nonces, its own nonce bitmap.
import { Signature, TypedDataEncoder, type TypedDataDomain, type TypedDataField } from 'ethers';

export const CONSENT_DOMAIN_NAME = 'SecureMed Consent';
export const ANCHOR_DOMAIN_NAME = 'SecureMed Anchor';
export const DIRECTORY_DOMAIN_NAME = 'SecureMed Directory';
export const CONSENT_DOMAIN_VERSION = '1';
/** Every SecureMed domain is version "1". */
export const DOMAIN_VERSION = CONSENT_DOMAIN_VERSION;

function domain(name: string, chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name, version: DOMAIN_VERSION, chainId, verifyingContract };
}

/** ConsentRegistry: Grant, Revoke, EmergencyDelegate, CancelNonces. */
export function consentDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return domain(CONSENT_DOMAIN_NAME, chainId, verifyingContract);
}

/** RecordAnchor: Anchor. */
export function anchorDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return domain(ANCHOR_DOMAIN_NAME, chainId, verifyingContract);
}

/** ProviderDirectory: EncryptionKey, CancelNonces. */
export function directoryDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return domain(DIRECTORY_DOMAIN_NAME, chainId, verifyingContract);
}

export const GRANT_TYPES: Record<string, TypedDataField[]> = {
  Grant: [
    { name: 'patient', type: 'address' },
    { name: 'grantee', type: 'address' },
    { name: 'scopes', type: 'uint32' },
    { name: 'expiresAt', type: 'uint64' },
    { name: 'purpose', type: 'bytes32' },
    { name: 'epoch', type: 'uint32' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

export const REVOKE_TYPES: Record<string, TypedDataField[]> = {
  Revoke: [
    { name: 'patient', type: 'address' },
    { name: 'grantee', type: 'address' },
    { name: 'epoch', type: 'uint32' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

export const EMERGENCY_DELEGATE_TYPES: Record<string, TypedDataField[]> = {
  EmergencyDelegate: [
    { name: 'patient', type: 'address' },
    { name: 'delegate', type: 'address' },
    { name: 'allowed', type: 'bool' },
    { name: 'epoch', type: 'uint32' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

/** No nonce: a (patient, root) is anchored once, so a replay reverts with AlreadyAnchored. */
export const ANCHOR_TYPES: Record<string, TypedDataField[]> = {
  Anchor: [
    { name: 'patient', type: 'address' },
    { name: 'root', type: 'bytes32' },
    { name: 'count', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

export const ENCRYPTION_KEY_TYPES: Record<string, TypedDataField[]> = {
  EncryptionKey: [
    { name: 'account', type: 'address' },
    { name: 'key', type: 'bytes32' },
    { name: 'previousKey', type: 'bytes32' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

export const CANCEL_NONCES_TYPES: Record<string, TypedDataField[]> = {
  CancelNonces: [
    { name: 'patient', type: 'address' },
    { name: 'wordPos', type: 'uint256' },
    { name: 'mask', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

export interface GrantMessage {
  patient: string;
  grantee: string;
  scopes: number;
  expiresAt: bigint;
  /** Salted purpose hash (bytes32 hex), see purposeHash(). */
  purpose: string;
  /** The pair's epoch when signing: `grantOf(patient, grantee).epoch`. Any later change to the pair
   *  (grant, revoke, delegate change) makes this signature stale (StaleEpoch). */
  epoch: number;
  nonce: bigint;
  /** Last accepted block timestamp (inclusive): derive it from the latest block, not the local clock. */
  deadline: bigint;
}

export interface RevokeMessage {
  patient: string;
  grantee: string;
  epoch: number;
  nonce: bigint;
  deadline: bigint;
}

export interface EmergencyDelegateMessage {
  patient: string;
  delegate: string;
  allowed: boolean;
  /** The (patient, delegate) pair's epoch: `grantOf(patient, delegate).epoch`. */
  epoch: number;
  nonce: bigint;
  deadline: bigint;
}

export interface AnchorMessage {
  patient: string;
  /** The batch's StandardMerkleTree root (merkle.ts). */
  root: string;
  count: bigint;
  deadline: bigint;
}

export interface EncryptionKeyMessage {
  account: string;
  key: string;
  /** The key published when signing (`encryptionKeyOf(account)`, zero for the first): compare-and-swap. */
  previousKey: string;
  nonce: bigint;
  deadline: bigint;
}

export interface CancelNoncesMessage {
  patient: string;
  wordPos: bigint;
  mask: bigint;
  deadline: bigint;
}

/** Everything a signer (ethers `signTypedData(domain, types, message)`) or eth_signTypedData_v4 needs. */
export interface TypedData<M> {
  domain: TypedDataDomain;
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  message: M;
}

export function grantTypedData(domain: TypedDataDomain, message: GrantMessage): TypedData<GrantMessage> {
  return { domain, types: GRANT_TYPES, primaryType: 'Grant', message };
}

export function revokeTypedData(domain: TypedDataDomain, message: RevokeMessage): TypedData<RevokeMessage> {
  return { domain, types: REVOKE_TYPES, primaryType: 'Revoke', message };
}

export function emergencyDelegateTypedData(
  domain: TypedDataDomain,
  message: EmergencyDelegateMessage,
): TypedData<EmergencyDelegateMessage> {
  return { domain, types: EMERGENCY_DELEGATE_TYPES, primaryType: 'EmergencyDelegate', message };
}

export function anchorTypedData(domain: TypedDataDomain, message: AnchorMessage): TypedData<AnchorMessage> {
  return { domain, types: ANCHOR_TYPES, primaryType: 'Anchor', message };
}

export function encryptionKeyTypedData(domain: TypedDataDomain, message: EncryptionKeyMessage): TypedData<EncryptionKeyMessage> {
  return { domain, types: ENCRYPTION_KEY_TYPES, primaryType: 'EncryptionKey', message };
}

/** Works for both ConsentRegistry and ProviderDirectory (each has its own bitmap and domain). */
export function cancelNoncesTypedData(
  domain: TypedDataDomain,
  message: CancelNoncesMessage,
): TypedData<CancelNoncesMessage> {
  return { domain, types: CANCEL_NONCES_TYPES, primaryType: 'CancelNonces', message };
}

/**
 * A deadline `seconds` after the latest block's timestamp: contracts compare deadlines (and expiries)
 * with block time, which may differ from this machine's clock (a local chain with time travel, a
 * skewed laptop clock).
 */
export function deadlineFromBlock(latestBlockTimestamp: bigint | number, seconds: bigint | number): bigint {
  return BigInt(latestBlockTimestamp) + BigInt(seconds);
}

/** The EIP-712 digest the contract recovers the signer from. */
export function typedDataDigest<M extends object>(td: TypedData<M>): string {
  return TypedDataEncoder.hash(td.domain, td.types, td.message as Record<string, unknown>);
}

/** The JSON payload for `eth_signTypedData_v4` (bigints as decimal strings, EIP712Domain included). */
export function typedDataJson<M extends object>(td: TypedData<M>): string {
  const payload = TypedDataEncoder.getPayload(td.domain, td.types, td.message as Record<string, unknown>);
  return JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

// ------------------------------------------------------------------ bitmap nonces

/** Where a nonce lives in the contract's bitmap: word `nonce >> 8`, bit `nonce & 0xff`. */
export function noncePosition(nonce: bigint): { wordPos: bigint; mask: bigint } {
  if (nonce < 0n || nonce >= 1n << 256n) throw new RangeError('nonce out of uint256 range');
  return { wordPos: nonce >> 8n, mask: 1n << (nonce & 0xffn) };
}

/**
 * The lowest nonce not set in `bitmap` (the value of `nonceBitmap(patient, wordPos)`), excluding
 * nonces the caller has handed out but not yet seen on chain. Small nonces keep calldata cheap and
 * reuse one warm bitmap word. Returns undefined when the word is full (move to wordPos + 1).
 */
export function lowestFreeNonce(wordPos: bigint, bitmap: bigint, pending: Iterable<bigint> = []): bigint | undefined {
  let taken = bitmap;
  for (const n of pending) {
    const p = noncePosition(n);
    if (p.wordPos === wordPos) taken |= p.mask;
  }
  for (let bit = 0n; bit < 256n; bit++) {
    if ((taken & (1n << bit)) === 0n) return (wordPos << 8n) | bit;
  }
  return undefined;
}

/**
 * The contracts take EIP-2098 compact signatures (r, vs): 64 bytes instead of 65 plus ABI padding,
 * which keeps grantBySig inside its gas budget. Accepts any 65-byte or 64-byte signature string.
 */
export function compactSignature(signature: string): { r: string; vs: string } {
  const sig = Signature.from(signature);
  return { r: sig.r, vs: sig.yParityAndS };
}
