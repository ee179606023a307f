// The anchored leaf: what one record version contributes to a batch's Merkle tree (frozen format,
// pinned by test/fixtures/vectors/anchor-leaf.json).
//
//   recordIdHash = keccak256(utf8(recordId))                 recordId: the vault's record id, exactly as stored
//   leaf         = keccak256(abi.encode(bytes32 recordIdHash, uint64 version, bytes32 contentHash))
//   contentHash  = '0x' + SHA-256(ciphertext)                 shared/crypto/record-envelope.ts
//
// `leaf` is the bytes32 VALUE of shared/chain/merkle.ts's StandardMerkleTree (leaf encoding
// ['bytes32']), so the tree hashes it once more as keccak256(keccak256(abi.encode(leaf))) and
// RecordAnchor.verify(account, leaf, proof) accepts it unchanged. Binding the id and the version (not
// only the ciphertext hash) is what lets an anchor tell "this record, at this version, had exactly these
// bytes": a different ciphertext under the same id and version, or an older version of the same id, is
// a different leaf. The ciphertext's AAD binds record id + patient + version too, so whoever holds the
// record's DEK can also check that the plaintext belongs to this id and version.
import { AbiCoder, isHexString, keccak256, toUtf8Bytes } from 'ethers';

export const ANCHOR_LEAF_ENCODING = ['bytes32', 'uint64', 'bytes32'] as const;
const MAX_UINT64 = (1n << 64n) - 1n;

export interface LeafInput {
  /** The vault's record id (RecordRow.id), exactly as stored and as bound into the record's AAD. */
  recordId: string;
  /** Record version (the AAD's version). */
  version: number | bigint;
  /** '0x' + hex SHA-256 of the ciphertext. */
  contentHash: string;
}

function bytes32(name: string, value: string): string {
  if (!isHexString(value, 32)) throw new Error(`${name} must be 32-byte hex: ${value}`);
  return value.toLowerCase();
}

/** keccak256 of the record id's UTF-8 bytes (fixed size, so the leaf encoding stays static). */
export function recordIdHash(recordId: string): string {
  if (recordId.length === 0) throw new Error('record id must not be empty');
  return keccak256(toUtf8Bytes(recordId));
}

/** The tree value for one record version: keccak256(abi.encode(recordIdHash, uint64 version, contentHash)). */
export function anchorLeaf(input: LeafInput): string {
  const version = BigInt(input.version);
  if (version < 0n || version > MAX_UINT64) throw new Error(`version out of uint64 range: ${input.version}`);
  return keccak256(
    AbiCoder.defaultAbiCoder().encode([...ANCHOR_LEAF_ENCODING], [recordIdHash(input.recordId), version, bytes32('contentHash', input.contentHash)]),
  );
}
