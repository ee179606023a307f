// Identity from one BIP-39 recovery phrase (docs/architecture.md "Identity", "Encryption key").
//
// Derivation map (seed = BIP-39 seed, 64 bytes, empty BIP-39 passphrase in the product):
//   messaging / primary account  BIP-32  m/44'/60'/7877'/0/0
//   messaging per relationship   BIP-32  m/44'/60'/7877'/2/i'   (i = 0, 1, 2, … in the order the patient
//        adds counterparties; hardened, so one identity's keys or xpub reveal nothing about another's;
//        a restore finds the used ones by scanning i upwards, extension/messaging/README.md)
//   pairwise account per party   BIP-32  m/44'/60'/7877'/1/a'/b'
//        a, b = first and second 31-bit big-endian words of HMAC-SHA256(pairwiseKey, counterparty)
//        (hardened, so an account xpub cannot enumerate or link them; 62 bits so two parties
//        practically never collide onto one address: ~2^-23 for a million parties)
//   X25519 encryption key        HPKE DeriveKeyPair(HKDF-SHA256(seed, salt, 'SecureMed v1 x25519 encryption key'))
//   vault keys (32 bytes each)   HKDF-SHA256(seed, salt, 'SecureMed v1 vault <purpose> key')
//   messaging at-rest keys       HKDF-SHA256(seed, salt, 'SecureMed v1 messaging {at-rest|index} key')
//   HKDF salt = 'SecureMed v1' everywhere.
// 7877' keeps SecureMed accounts off every wallet's default path (m/44'/60'/0'/0/i), so pasting the
// phrase into a wallet does not surface the health identity's addresses.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { HDKey } from '@scure/bip32';
import * as bip39 from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { toHex, utf8 } from './bytes.js';
import { CryptoError } from './errors.js';
import { deriveKeyPair, type KeyPair } from './hpke.js';

export const WALLET_DEFAULT_PATH = "m/44'/60'/0'/0/0";
export const SECUREMED_ACCOUNT_PATH = "m/44'/60'/7877'";
export const MESSAGING_PATH = `${SECUREMED_ACCOUNT_PATH}/0/0`;
export const PAIRWISE_BRANCH = `${SECUREMED_ACCOUNT_PATH}/1`;
export const RELATIONSHIP_MESSAGING_BRANCH = `${SECUREMED_ACCOUNT_PATH}/2`;
/** Hardened BIP-32 indexes are 31-bit. */
export const MAX_RELATIONSHIP_INDEX = 0x7fffffff;

const HKDF_SALT = utf8('SecureMed v1');
const WORD_COUNTS = [12, 24] as const;
const WORDS = new Set(wordlist);

export interface Account {
  path: string;
  /** 32-byte secp256k1 private key. */
  privateKey: Uint8Array;
  /** 33-byte compressed secp256k1 public key. */
  publicKey: Uint8Array;
  /** EIP-55 checksummed address. */
  address: string;
}

export interface VaultKeys {
  /** AES-256-GCM key wrapping the patient's own DEKs. */
  dekWrap: Uint8Array;
  /** Key for encrypting the local search index. */
  searchIndex: Uint8Array;
  /** HMAC key for de-duplication (never a plain hash of plaintext). */
  dedup: Uint8Array;
}

export interface Identity {
  messaging: Account;
  encryption: KeyPair;
  vault: VaultKeys;
}

export function generateMnemonic(words: 12 | 24 = 12): string {
  if (!WORD_COUNTS.includes(words)) throw new CryptoError('invalid-input', 'a recovery phrase has 12 or 24 words');
  return bip39.generateMnemonic(wordlist, words === 12 ? 128 : 256);
}

/**
 * Returns the canonical phrase (NFKD, lowercase, single spaces) or throws CryptoError('invalid-mnemonic')
 * saying what is wrong. The message can contain a word of the phrase: show it, never log it.
 */
export function validateMnemonic(phrase: string): string {
  const words = phrase.normalize('NFKD').trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (!(WORD_COUNTS as readonly number[]).includes(words.length)) {
    throw new CryptoError('invalid-mnemonic', `a recovery phrase has 12 or 24 words, this one has ${words.length}`);
  }
  const unknown = words.findIndex((w) => !WORDS.has(w));
  if (unknown >= 0) {
    throw new CryptoError('invalid-mnemonic', `unknown word '${words[unknown]}' (word ${unknown + 1})`);
  }
  const canonical = words.join(' ');
  try {
    bip39.mnemonicToEntropy(canonical, wordlist);
  } catch (cause) {
    throw new CryptoError('invalid-mnemonic', 'bad checksum: a word is wrong or the words are out of order', { cause });
  }
  return canonical;
}

/** BIP-39 seed (PBKDF2-HMAC-SHA512, 2048 rounds, async). The product uses an empty BIP-39 passphrase. */
export async function mnemonicToSeed(phrase: string, bip39Passphrase = ''): Promise<Uint8Array> {
  return bip39.mnemonicToSeed(validateMnemonic(phrase), bip39Passphrase);
}

/** EIP-55 mixed-case checksum of a 20-byte hex address. */
export function toChecksumAddress(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new CryptoError('invalid-input', 'not a 20-byte hex address');
  const lower = address.slice(2).toLowerCase();
  const hash = toHex(keccak_256(utf8(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++) out += parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  return out;
}

/** Ethereum address: last 20 bytes of keccak-256 of the uncompressed public key without its 0x04 prefix. */
export function addressFromPublicKey(publicKey: Uint8Array): string {
  let uncompressed: Uint8Array;
  try {
    uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  } catch (cause) {
    throw new CryptoError('invalid-key', 'not a secp256k1 public key', { cause });
  }
  return toChecksumAddress(`0x${toHex(keccak_256(uncompressed.subarray(1)).subarray(12))}`);
}

/** Any BIP-32 path from the seed; used with the constants above (and WALLET_DEFAULT_PATH in tests). */
export function deriveAccount(seed: Uint8Array, path: string): Account {
  const node = HDKey.fromMasterSeed(seed).derive(path);
  if (!node.privateKey || !node.publicKey) throw new CryptoError('invalid-key', `no key at ${path}`);
  const { privateKey, publicKey } = node;
  return { path, privateKey, publicKey, address: addressFromPublicKey(publicKey) };
}

function seedKey(seed: Uint8Array, purpose: string): Uint8Array {
  if (seed.length < 32) throw new CryptoError('invalid-input', 'seed must be at least 32 bytes');
  return hkdf(sha256, seed, HKDF_SALT, utf8(`SecureMed v1 ${purpose}`), 32);
}

export function deriveEncryptionKeyPair(seed: Uint8Array): KeyPair {
  return deriveKeyPair(seedKey(seed, 'x25519 encryption key'));
}

export function deriveVaultKeys(seed: Uint8Array): VaultKeys {
  return {
    dekWrap: seedKey(seed, 'vault dek-wrap key'),
    searchIndex: seedKey(seed, 'vault search-index key'),
    dedup: seedKey(seed, 'vault dedup hmac key'),
  };
}

/** Messaging's keys at rest (history, XMTP key bundle): raw bytes; extension/messaging imports them. */
export interface MessagingStorageKeys {
  /** AES-256-GCM key sealing conversations, messages and the XMTP key bundle (sealed-json.ts). */
  atRest: Uint8Array;
  /** HMAC-SHA256 key turning a counterparty address into a thread id. */
  index: Uint8Array;
}

export function deriveMessagingStorageKeys(seed: Uint8Array): MessagingStorageKeys {
  return { atRest: seedKey(seed, 'messaging at-rest key'), index: seedKey(seed, 'messaging index key') };
}

export function deriveIdentity(seed: Uint8Array): Identity {
  return {
    messaging: deriveAccount(seed, MESSAGING_PATH),
    encryption: deriveEncryptionKeyPair(seed),
    vault: deriveVaultKeys(seed),
  };
}

export function relationshipMessagingPath(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_RELATIONSHIP_INDEX) {
    throw new CryptoError('invalid-input', 'a relationship index is an integer from 0 to 2^31 - 1');
  }
  return `${RELATIONSHIP_MESSAGING_BRANCH}/${index}'`;
}

/**
 * The messaging identity a patient uses with one counterparty (the index comes from the messaging
 * relationship registry). Unrelated to the pairwise on-chain account for the same party on purpose:
 * the chain and the messaging node must not be able to join the two.
 */
export function deriveRelationshipMessagingAccount(seed: Uint8Array, index: number): Account {
  return deriveAccount(seed, relationshipMessagingPath(index));
}

/**
 * A counterparty is a 0x address (a grantee; compared case-insensitively) or a web origin exactly as the
 * browser reports it (`sender.origin`, e.g. 'https://portal.example'). Anything else is refused so that
 * one party cannot end up with two accounts through spelling differences.
 */
export function normalizeCounterparty(counterparty: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(counterparty)) return counterparty.toLowerCase();
  let origin: string | undefined;
  try {
    origin = new URL(counterparty).origin;
  } catch {
    origin = undefined;
  }
  if (origin === undefined || origin === 'null' || origin !== counterparty) {
    throw new CryptoError('invalid-input', 'counterparty must be a 0x address or a serialized web origin');
  }
  return origin;
}

export function pairwisePath(seed: Uint8Array, counterparty: string): string {
  const mac = hmac(sha256, seedKey(seed, 'pairwise index key'), utf8(normalizeCounterparty(counterparty)));
  const view = new DataView(mac.buffer, mac.byteOffset, mac.byteLength);
  const a = view.getUint32(0) & 0x7fffffff;
  const b = view.getUint32(4) & 0x7fffffff;
  return `${PAIRWISE_BRANCH}/${a}'/${b}'`;
}

/** The on-chain account SecureMed uses with one grantee or portal. */
export function derivePairwiseAccount(seed: Uint8Array, counterparty: string): Account {
  return deriveAccount(seed, pairwisePath(seed, counterparty));
}

/**
 * The on-chain account a site uses for one grantee: pairwise per (origin, grantee), so several grantees
 * served from one origin (a hosted portal) and one grantee on several origins all see different
 * patients. Same branch and index key as derivePairwiseAccount; the HMAC input `origin + ' ' + grantee`
 * contains a space, which no normalized single counterparty does, so no existing output changes.
 */
export function siteGranteePath(seed: Uint8Array, origin: string, grantee: string): string {
  const site = normalizeCounterparty(origin);
  const party = normalizeCounterparty(grantee);
  if (site.startsWith('0x') || !party.startsWith('0x')) throw new CryptoError('invalid-input', 'expected a web origin and a 0x grantee');
  const mac = hmac(sha256, seedKey(seed, 'pairwise index key'), utf8(`${site} ${party}`));
  const view = new DataView(mac.buffer, mac.byteOffset, mac.byteLength);
  return `${PAIRWISE_BRANCH}/${view.getUint32(0) & 0x7fffffff}'/${view.getUint32(4) & 0x7fffffff}'`;
}

export function deriveSiteGranteeAccount(seed: Uint8Array, origin: string, grantee: string): Account {
  return deriveAccount(seed, siteGranteePath(seed, origin, grantee));
}
