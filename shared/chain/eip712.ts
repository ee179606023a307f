// EIP-712 typed data for ConsentRegistry's signed actions. The type strings must match the
// *_TYPEHASH constants in contracts/ConsentRegistry.sol and contracts/UnorderedNonces.sol exactly;
// test/contracts checks that by recomputing the typehashes.
import { Signature, TypedDataEncoder, type TypedDataDomain, type TypedDataField } from 'ethers';

export const CONSENT_DOMAIN_NAME = 'SecureMed Consent';
export const CONSENT_DOMAIN_VERSION = '1';

export function consentDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: CONSENT_DOMAIN_NAME, version: CONSENT_DOMAIN_VERSION, chainId, verifyingContract };
}

export const GRANT_TYPES: Record<string, TypedDataField[]> = {
  Grant: [
    { name: 'patient', type: 'address' },
    { name: 'grantee', type: 'address' },
    { name: 'scopes', type: 'uint32' },
    { name: 'expiresAt', type: 'uint64' },
    { name: 'purpose', type: 'bytes32' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

export const REVOKE_TYPES: Record<string, TypedDataField[]> = {
  Revoke: [
    { name: 'patient', type: 'address' },
    { name: 'grantee', type: 'address' },
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
  nonce: bigint;
  deadline: bigint;
}

export interface RevokeMessage {
  patient: string;
  grantee: string;
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

export function cancelNoncesTypedData(
  domain: TypedDataDomain,
  message: CancelNoncesMessage,
): TypedData<CancelNoncesMessage> {
  return { domain, types: CANCEL_NONCES_TYPES, primaryType: 'CancelNonces', message };
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
 * The contract takes EIP-2098 compact signatures (r, vs): 64 bytes instead of 65 plus ABI padding,
 * which keeps grantBySig inside its gas budget. Accepts any 65-byte or 64-byte signature string.
 */
export function compactSignature(signature: string): { r: string; vs: string } {
  const sig = Signature.from(signature);
  return { r: sig.r, vs: sig.yParityAndS };
}
