// Keys of the network replica (extension/replicas), derived from the seed like every other key
// (identity.ts "Derivation map"), with their own HKDF info strings so no existing output changes:
//   IPNS signing key (Ed25519 seed)   HKDF-SHA256(seed, 'SecureMed v1', 'SecureMed v1 replica ipns ed25519 key')
//   replica block/manifest key        HKDF-SHA256(seed, 'SecureMed v1', 'SecureMed v1 replica block key')
//   deterministic block nonce key     HKDF-SHA256(seed, 'SecureMed v1', 'SecureMed v1 replica nonce key')
// The IPNS key is Ed25519 (what IPNS names use), unrelated to the messaging and on-chain secp256k1 keys,
// so a storage node cannot link the vault's name to the patient's accounts.
import { ed25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './bytes.js';
import { CryptoError } from './errors.js';

export interface ReplicaKeys {
  /** Ed25519 private seed (32 bytes) signing the vault's IPNS head. */
  ipnsPrivate: Uint8Array;
  /** Its 32-byte public key: the IPNS name. */
  ipnsPublic: Uint8Array;
  /** AES-256-GCM key of replica blocks and the manifest. */
  block: Uint8Array;
  /** HMAC-SHA256 key giving a block its nonce from its plaintext (same row → same block → same CID). */
  nonce: Uint8Array;
}

function replicaKey(seed: Uint8Array, purpose: string): Uint8Array {
  if (seed.length < 32) throw new CryptoError('invalid-input', 'seed must be at least 32 bytes');
  return hkdf(sha256, seed, utf8('SecureMed v1'), utf8(`SecureMed v1 replica ${purpose}`), 32);
}

export function deriveReplicaKeys(seed: Uint8Array): ReplicaKeys {
  const ipnsPrivate = replicaKey(seed, 'ipns ed25519 key');
  return {
    ipnsPrivate,
    ipnsPublic: ed25519.getPublicKey(ipnsPrivate),
    block: replicaKey(seed, 'block key'),
    nonce: replicaKey(seed, 'nonce key'),
  };
}
