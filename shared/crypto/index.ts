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
  DEK_LENGTH,
  decryptRecord,
  encryptRecord,
  recordAad,
  shareDeks,
  unwrapDek,
  unwrapSharedDeks,
  wrapDek,
  type RecordEnvelope,
  type RecordRef,
  type ShareOptions,
} from './record-envelope.js';
export {
  addressFromPublicKey,
  deriveAccount,
  deriveEncryptionKeyPair,
  deriveIdentity,
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
