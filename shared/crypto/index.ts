// Public API of the SecureMed crypto module. Lower-level HPKE pieces (encap, decap, keySchedule) stay
// importable from './hpke.js' for the RFC 9180 vector tests but are not part of this surface.
export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors.js';
export {
  concat,
  equalBytes,
  fromBase64,
  fromHex,
  fromUtf8,
  lengthPrefixed,
  randomBytes,
  toBase64,
  toHex,
  utf8,
} from './bytes.js';
export { AES_128_GCM, AES_256_GCM, type Aead } from './aead.js';
export { canonicalJson, canonicalJsonBytes, type JsonValue } from './canonical-json.js';
export {
  deriveKeyPair,
  generateKeyPair,
  HpkeContext,
  openBase,
  publicKeyFromPrivate,
  sealBase,
  setupBaseR,
  setupBaseS,
  type KeyPair,
  type SetupOptions,
} from './hpke.js';
export {
  contentHash,
  decryptRecord,
  encryptRecord,
  recordAad,
  sealRecordChunk,
  type ChunkInput,
  type RecordEnvelope,
  type RecordRef,
  type SealedChunk,
} from './record-envelope.js';
export {
  DEK_LENGTH,
  shareDeks,
  unwrapDek,
  unwrapDekBatch,
  unwrapSharedDeks,
  wrapDek,
  wrapDekBatch,
  type KeyBatchItem,
  type ShareOptions,
} from './key-wrap.js';
export { openBytes, openJson, sealBytes, sealedAad, sealJson } from './sealed-json.js';
export {
  addressFromPublicKey,
  deriveAccount,
  deriveEncryptionKeyPair,
  deriveIdentity,
  deriveMessagingStorageKeys,
  derivePairwiseAccount,
  deriveVaultKeys,
  generateMnemonic,
  MESSAGING_PATH,
  mnemonicToSeed,
  normalizeCounterparty,
  PAIRWISE_BRANCH,
  pairwisePath,
  SECUREMED_ACCOUNT_PATH,
  toChecksumAddress,
  validateMnemonic,
  WALLET_DEFAULT_PATH,
  type Account,
  type Identity,
  type MessagingStorageKeys,
  type VaultKeys,
} from './identity.js';
export {
  decryptSecret,
  DEFAULT_SCRYPT,
  encryptSecret,
  MIN_SCRYPT_N,
  parseStoredSecret,
  type KdfOptions,
  type ScryptParams,
  type StoredSecret,
} from './passphrase.js';
