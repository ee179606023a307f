import { sha256 } from '@noble/hashes/sha2.js';
import { concat, equalBytes } from '../../shared/crypto/bytes';
import { sha256Native } from './native-hash';

/**
 * The few multiformats the replica needs, written out (the spec is small and the extension has no IPFS
 * library): CIDv1 of raw blocks hashed with SHA-256 (base32 `b…`, as every gateway spells them) and
 * the IPNS name of an Ed25519 key (CIDv1 libp2p-key over an identity multihash, base36 `k…`).
 */
const RAW = 0x55;
const LIBP2P_KEY = 0x72;
const SHA2_256 = 0x12;
const IDENTITY = 0x00;

export function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new TypeError('not base32');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

function base36(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = n === 0n ? '' : n.toString(36);
  for (const b of bytes) {
    if (b !== 0) break;
    out = `0${out}`;
  }
  return out;
}

/** The binary CID of a raw block: 0x01 0x55 0x12 0x20 ‖ SHA-256(bytes). */
export function rawCidBytes(block: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x01, RAW, SHA2_256, 32), sha256(block));
}

export function rawCid(block: Uint8Array): string {
  return `b${base32(rawCidBytes(block))}`;
}

/** Parses a CIDv1 raw sha2-256 string → its binary form; anything else is refused. */
export function parseRawCid(cid: string): Uint8Array {
  if (!/^b[a-z2-7]{58}$/.test(cid)) throw new TypeError('not a raw sha2-256 CIDv1');
  const bytes = fromBase32(cid.slice(1));
  if (bytes[0] !== 0x01 || bytes[1] !== RAW || bytes[2] !== SHA2_256 || bytes[3] !== 32) throw new TypeError('not a raw sha2-256 CIDv1');
  return bytes;
}

/**
 * True when `block` is what `cid` names: the trustless check of every byte a node serves. The hash runs
 * in WebCrypto (natively, off the JavaScript thread; a restore checks every block it reads).
 */
export async function blockMatches(cid: string, block: Uint8Array): Promise<boolean> {
  const expected = parseRawCid(cid);
  return equalBytes(expected.subarray(4), await sha256Native(block));
}

/** libp2p PublicKey protobuf of an Ed25519 key: { Type: Ed25519 (1), Data: 32 bytes }. */
export function ed25519PublicKeyProtobuf(publicKey: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x08, 0x01, 0x12, publicKey.length), publicKey);
}

/** The IPNS name of an Ed25519 public key: `k…` (CIDv1 libp2p-key, identity multihash, base36). */
export function ipnsName(publicKey: Uint8Array): string {
  const key = ed25519PublicKeyProtobuf(publicKey);
  return `k${base36(concat(Uint8Array.of(0x01, LIBP2P_KEY, IDENTITY, key.length), key))}`;
}
