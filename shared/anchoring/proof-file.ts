// The exported "record + proof" file (frozen format v1): everything a third party (a doctor, a court)
// needs to check one record version against the chain without the extension or the vault.
//
// How to check it (scripts/verify-record.ts does exactly this):
//  1. contentHash === '0x' + SHA-256(base64-decoded record.ciphertext)
//  2. leaf === anchorLeaf({recordId: record.id, version: record.version, contentHash})   (leaf.ts)
//  3. the StandardMerkleTree proof takes leaf to root: processProof(keccak256(keccak256(abi.encode(leaf))),
//     proof) === root (sorted-pair keccak; shared/chain/merkle.ts verifyRecordProof)
//  4. on chain `anchor.chainId`, RecordAnchor at `anchor.contract`: anchorOf(anchor.account, root)
//     returns (anchor.account, anchor.blockTime) — or verify(anchor.account, leaf, proof) does. The chain,
//     not this file, is the authority for the time: a file claiming another block time is refused.
//  5. only when the patient included the key (record.dek): AES-256-GCM-decrypt record.ciphertext
//     (nonce = first 12 bytes) with AAD recordAad(record.id, record.patient, record.version)
//     (shared/crypto/record-envelope.ts) and compare with record.resource as canonical JSON.
// What it proves: these exact bytes (and, with 5, this content) existed under this record id and version
// no later than the block time, anchored by that account. Not who wrote the record (clinical
// authorship is a separate signature), and not that the account is a particular person.
import { z } from 'zod';

export const PROOF_FILE_FORMAT = 'securemed-record-proof';
export const PROOF_FILE_VERSION = 1;
/** Enough for a batch of 2^64 leaves; a real proof has ⌈log2(padded batch size)⌉ entries. */
export const MAX_PROOF_LENGTH = 64;
/** A record's ciphertext in a proof file (the vault's import limit per record is below this). */
export const MAX_CIPHERTEXT_BASE64 = 24 * 1024 * 1024;

const Bytes32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'lowercase 0x + 64 hex');
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, '0x + 40 hex');
const Base64 = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'standard base64');
const Uint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ProofFileRecord = z.strictObject({
  /** The vault's record id (random UUID chosen by the vault; not the FHIR id). */
  id: z.string().min(1).max(1024),
  version: Uint,
  /** The AAD's patient field, exactly as bound (the vault's lowercase 0x identity address). */
  patient: z.string().min(1).max(1024),
  /** '0x' + SHA-256 of the ciphertext. */
  contentHash: Bytes32,
  /** nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16), standard base64: exactly the bytes the vault keeps. */
  ciphertext: Base64(MAX_CIPHERTEXT_BASE64),
  /** This record version's own 256-bit DEK (base64), present only if the patient chose to include the content. */
  dek: Base64(44).optional(),
  /** The FHIR resource as exported (plaintext), present only together with `dek`. */
  resource: z.record(z.string(), z.unknown()).optional(),
});

export const ProofFileAnchor = z.strictObject({
  chainId: z.number().int().positive(),
  /** RecordAnchor contract address. */
  contract: Address,
  /** The vault's anchoring account (the `patient` of RecordAnchor; derived from the seed, used for nothing else). */
  account: Address,
  blockNumber: Uint,
  /** Block timestamp of the anchoring, unix seconds (RecordAnchor's anchoredAt). */
  blockTime: Uint,
  txHash: Bytes32.optional(),
  /** The batch size the chain was told (padded: the real number of records is not revealed). */
  count: z.number().int().positive(),
});

export const ProofFile = z
  .strictObject({
    format: z.literal(PROOF_FILE_FORMAT),
    v: z.literal(PROOF_FILE_VERSION),
    /** ISO 8601, when the file was written (informational). */
    exportedAt: z.string().max(40),
    record: ProofFileRecord,
    /** anchorLeaf(record.id, record.version, record.contentHash) — the tree value. */
    leaf: Bytes32,
    /** StandardMerkleTree proof of `leaf` (sibling hashes, bottom up). */
    proof: z.array(Bytes32).max(MAX_PROOF_LENGTH),
    /** The batch root anchored on chain. */
    root: Bytes32,
    anchor: ProofFileAnchor,
  })
  .refine((f) => (f.record.dek === undefined) === (f.record.resource === undefined), {
    message: 'record.dek and record.resource come together (both or neither)',
    path: ['record'],
  });
export type ProofFile = z.infer<typeof ProofFile>;
