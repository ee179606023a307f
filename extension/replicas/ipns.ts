import { ed25519 } from '@noble/curves/ed25519.js';
import { concat, fromUtf8, utf8 } from '../../shared/crypto/bytes';
import { varint } from './cid';

/**
 * IPNS records (the IPFS "IPNS Record and Protocol" spec), V2 form only: protobuf IpnsEntry with
 * `signatureV2` (field 8) over "ipns-signature:" ‖ `data` (field 9), where `data` is the DAG-CBOR map
 * {TTL, Value, Sequence, Validity, ValidityType} in canonical key order. Written by hand: the format is
 * small, and the storage nodes check each record we publish with the reference validator (the `ipns`
 * package), which test/integration/replicas-nodes.test.ts relies on.
 */
const SIGNATURE_PREFIX = utf8('ipns-signature:');
/** Long on purpose (the default is 48 h): the head must outlive a patient's absence; health republishes. */
export const RECORD_LIFETIME_MS = 365 * 24 * 3600 * 1000;
const TTL_NS = 5n * 60n * 1_000_000_000n;

// ---- DAG-CBOR subset: unsigned integers, byte and text strings, one map ----
function cborHead(major: number, n: bigint): Uint8Array {
  if (n < 24n) return Uint8Array.of((major << 5) | Number(n));
  if (n < 0x100n) return Uint8Array.of((major << 5) | 24, Number(n));
  if (n < 0x10000n) return Uint8Array.of((major << 5) | 25, Number(n >> 8n), Number(n & 0xffn));
  if (n < 0x100000000n) {
    const out = new Uint8Array(5);
    out[0] = (major << 5) | 26;
    new DataView(out.buffer).setUint32(1, Number(n));
    return out;
  }
  const out = new Uint8Array(9);
  out[0] = (major << 5) | 27;
  new DataView(out.buffer).setBigUint64(1, n);
  return out;
}
const cborText = (s: string) => concat(cborHead(3, BigInt(utf8(s).length)), utf8(s));
const cborBytes = (b: Uint8Array) => concat(cborHead(2, BigInt(b.length)), b);

type CborValue = bigint | Uint8Array | string;

function cborDecodeMap(bytes: Uint8Array): Map<string, CborValue> {
  let at = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = (): [number, bigint] => {
    const first = bytes[at++]!;
    const major = first >> 5;
    const info = first & 31;
    if (info < 24) return [major, BigInt(info)];
    const size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (!size) throw new TypeError('unsupported CBOR');
    let n = 0n;
    for (let i = 0; i < size; i++) n = (n << 8n) | BigInt(view.getUint8(at + i));
    at += size;
    return [major, n];
  };
  const item = (): CborValue => {
    const [major, n] = head();
    if (major === 0) return n;
    if (major === 2 || major === 3) {
      const slice = bytes.subarray(at, at + Number(n));
      if (slice.length !== Number(n)) throw new TypeError('truncated CBOR');
      at += Number(n);
      return major === 2 ? slice : fromUtf8(slice);
    }
    throw new TypeError('unsupported CBOR');
  };
  const [major, count] = head();
  if (major !== 5) throw new TypeError('IPNS data is not a map');
  const out = new Map<string, CborValue>();
  for (let i = 0n; i < count; i++) {
    const key = item();
    if (typeof key !== 'string') throw new TypeError('IPNS data key is not text');
    out.set(key, item());
  }
  if (at !== bytes.length) throw new TypeError('trailing bytes after IPNS data');
  return out;
}

// ---- protobuf subset: length-delimited fields ----
const field = (n: number, value: Uint8Array) => concat(varint((n << 3) | 2), varint(value.length), value);

function readFields(bytes: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  let at = 0;
  const readVarint = () => {
    let n = 0;
    let shift = 1;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw new TypeError('truncated protobuf');
      n += (b & 0x7f) * shift;
      if (b < 0x80) return n;
      shift *= 128;
    }
  };
  while (at < bytes.length) {
    const tag = readVarint();
    const wire = tag & 7;
    if (wire === 0) readVarint();
    else if (wire === 2) {
      const length = readVarint();
      out.set(tag >>> 3, bytes.subarray(at, at + length));
      at += length;
    } else throw new TypeError('unsupported protobuf wire type');
  }
  return out;
}

/** RFC 3339 with nanoseconds, UTC, as go-ipfs writes it. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export interface IpnsHead {
  /** The path the name points at: `/ipfs/<manifest cid>`. */
  value: string;
  sequence: bigint;
  /** End of validity (ms since epoch). */
  validUntil: number;
}

export function createIpnsRecord(privateKey: Uint8Array, value: string, sequence: bigint, now = Date.now()): Uint8Array {
  const data = concat(
    cborHead(5, 5n),
    cborText('TTL'),
    cborHead(0, TTL_NS),
    cborText('Value'),
    cborBytes(utf8(value)),
    cborText('Sequence'),
    cborHead(0, sequence),
    cborText('Validity'),
    cborBytes(utf8(rfc3339(now + RECORD_LIFETIME_MS))),
    cborText('ValidityType'),
    cborHead(0, 0n),
  );
  const signature = ed25519.sign(concat(SIGNATURE_PREFIX, data), privateKey);
  return concat(field(8, signature), field(9, data));
}

/**
 * The head a record names, if it is signed by `publicKey` and still valid; undefined otherwise. A node can
 * withhold or replay an older record, never forge one: the caller takes the highest sequence it sees.
 */
export function verifyIpnsRecord(record: Uint8Array, publicKey: Uint8Array, now = Date.now()): IpnsHead | undefined {
  try {
    const fields = readFields(record);
    const signature = fields.get(8);
    const data = fields.get(9);
    if (!signature || !data) return undefined;
    if (!ed25519.verify(signature, concat(SIGNATURE_PREFIX, data), publicKey)) return undefined;
    const map = cborDecodeMap(data);
    const value = map.get('Value');
    const sequence = map.get('Sequence');
    const validity = map.get('Validity');
    if (!(value instanceof Uint8Array) || typeof sequence !== 'bigint' || !(validity instanceof Uint8Array)) return undefined;
    const validUntil = Date.parse(fromUtf8(validity).replace(/\.(\d{3})\d*Z$/, '.$1Z'));
    if (!(validUntil > now)) return undefined;
    return { value: fromUtf8(value), sequence, validUntil };
  } catch {
    return undefined;
  }
}
