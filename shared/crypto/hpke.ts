// RFC 9180 HPKE, base mode only: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AEAD as a parameter.
// Function and label names follow the RFC so the code can be read next to it (§4, §4.1, §5, §7.1.3).
import { x25519 } from '@noble/curves/ed25519.js';
import { extract, expand } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AES_256_GCM, type Aead } from './aead.js';
import { concat, i2osp, randomBytes, utf8 } from './bytes.js';
import { CryptoError } from './errors.js';

export const KEM_ID = 0x0020; // DHKEM(X25519, HKDF-SHA256)
export const KDF_ID = 0x0001; // HKDF-SHA256
const MODE_BASE = 0x00;
const Nh = 32; // HKDF-SHA256 output
const Nsecret = 32;
const Nsk = 32;
const Npk = 32;

export interface KeyPair {
  /** 32-byte X25519 private key (as produced by DeriveKeyPair; X25519 clamps it on use). */
  sk: Uint8Array;
  /** 32-byte X25519 public key; also the HPKE `enc` when used as an ephemeral key. */
  pk: Uint8Array;
}

const HPKE_V1 = utf8('HPKE-v1');
const KEM_SUITE_ID = concat(utf8('KEM'), i2osp(KEM_ID, 2));

function hpkeSuiteId(aead: Aead): Uint8Array {
  return concat(utf8('HPKE'), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2), i2osp(aead.id, 2));
}

// §4: labels put every derived value in its own domain (version, suite, purpose).
function labeledExtract(suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) {
  return extract(sha256, concat(HPKE_V1, suiteId, utf8(label), ikm), salt);
}

function labeledExpand(suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, L: number) {
  if (L > 255 * Nh) throw new CryptoError('invalid-input', 'HPKE: requested length too large');
  return expand(sha256, prk, concat(i2osp(L, 2), HPKE_V1, suiteId, utf8(label), info), L);
}

function dh(sk: Uint8Array, pk: Uint8Array): Uint8Array {
  if (sk.length !== Nsk || pk.length !== Npk) throw new CryptoError('invalid-key', 'X25519 keys are 32 bytes');
  try {
    return x25519.getSharedSecret(sk, pk);
  } catch (cause) {
    // noble rejects low-order public keys (all-zero shared secret), as RFC 9180 §7.1.4 requires.
    throw new CryptoError('invalid-key', 'X25519: invalid public key', { cause });
  }
}

/** §7.1.3 DeriveKeyPair for X25519: the expanded bytes are the private key (clamped by X25519). */
export function deriveKeyPair(ikm: Uint8Array): KeyPair {
  if (ikm.length < Nsk) throw new CryptoError('invalid-input', 'DeriveKeyPair: ikm must be >= 32 bytes');
  const dkpPrk = labeledExtract(KEM_SUITE_ID, new Uint8Array(0), 'dkp_prk', ikm);
  const sk = labeledExpand(KEM_SUITE_ID, dkpPrk, 'sk', new Uint8Array(0), Nsk);
  return { sk, pk: x25519.getPublicKey(sk) };
}

/** GenerateKeyPair = DeriveKeyPair(random ikm), as RFC 9180 §7.1.3 allows. */
export function generateKeyPair(): KeyPair {
  return deriveKeyPair(randomBytes(Nsk));
}

export function publicKeyFromPrivate(sk: Uint8Array): Uint8Array {
  if (sk.length !== Nsk) throw new CryptoError('invalid-key', 'X25519 private key must be 32 bytes');
  return x25519.getPublicKey(sk);
}

function extractAndExpand(dhOut: Uint8Array, kemContext: Uint8Array): Uint8Array {
  const eaePrk = labeledExtract(KEM_SUITE_ID, new Uint8Array(0), 'eae_prk', dhOut);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, Nsecret);
}

/** §4.1 Encap. `ikmE` fixes the ephemeral key: only for test vectors, never in production. */
export function encap(pkR: Uint8Array, ikmE?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array } {
  const { sk: skE, pk: pkE } = ikmE ? deriveKeyPair(ikmE) : generateKeyPair();
  const dhOut = dh(skE, pkR);
  return { sharedSecret: extractAndExpand(dhOut, concat(pkE, pkR)), enc: pkE };
}

/** §4.1 Decap. */
export function decap(enc: Uint8Array, skR: Uint8Array): Uint8Array {
  const dhOut = dh(skR, enc);
  return extractAndExpand(dhOut, concat(enc, publicKeyFromPrivate(skR)));
}

export interface KeySchedule {
  keyScheduleContext: Uint8Array;
  secret: Uint8Array;
  key: Uint8Array;
  baseNonce: Uint8Array;
  exporterSecret: Uint8Array;
}

/** §5.1 KeySchedule for mode_base (psk and psk_id empty). */
export function keySchedule(aead: Aead, sharedSecret: Uint8Array, info: Uint8Array): KeySchedule {
  const suiteId = hpkeSuiteId(aead);
  const empty = new Uint8Array(0);
  const pskIdHash = labeledExtract(suiteId, empty, 'psk_id_hash', empty);
  const infoHash = labeledExtract(suiteId, empty, 'info_hash', info);
  const keyScheduleContext = concat(Uint8Array.of(MODE_BASE), pskIdHash, infoHash);
  const secret = labeledExtract(suiteId, sharedSecret, 'secret', empty);
  return {
    keyScheduleContext,
    secret,
    key: labeledExpand(suiteId, secret, 'key', keyScheduleContext, aead.Nk),
    baseNonce: labeledExpand(suiteId, secret, 'base_nonce', keyScheduleContext, aead.Nn),
    exporterSecret: labeledExpand(suiteId, secret, 'exp', keyScheduleContext, Nh),
  };
}

/**
 * §5.2 encryption context. Each seal/open uses nonce = base_nonce XOR seq and then increments seq, so
 * the receiver must open messages in the order they were sealed. seq only advances on success.
 */
export class HpkeContext {
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #aead: Aead;
  readonly #ks: KeySchedule;
  readonly #suiteId: Uint8Array;

  constructor(aead: Aead, ks: KeySchedule) {
    this.#aead = aead;
    this.#ks = ks;
    this.#suiteId = hpkeSuiteId(aead);
  }

  /** Sequence number the next seal/open will use. */
  get seq(): number {
    return this.#seq;
  }

  #nonce(): Uint8Array {
    // The RFC's limit is 2^(8*Nn) - 1; a JS number counter stops at 2^53 - 1, far beyond any real use.
    if (this.#seq >= Number.MAX_SAFE_INTEGER) throw new CryptoError('message-limit', 'HPKE: message limit reached');
    const seqBytes = i2osp(this.#seq, this.#aead.Nn);
    const nonce = new Uint8Array(this.#aead.Nn);
    for (let i = 0; i < nonce.length; i++) nonce[i] = this.#ks.baseNonce[i]! ^ seqBytes[i]!;
    return nonce;
  }

  // Calls are queued so that concurrent, un-awaited seal()/open() calls can never use the same nonce
  // and the sequence still advances only on success.
  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  seal(aad: Uint8Array, pt: Uint8Array): Promise<Uint8Array> {
    return this.#serial(async () => {
      const ct = await this.#aead.seal(this.#ks.key, this.#nonce(), aad, pt);
      this.#seq++;
      return ct;
    });
  }

  /** Throws CryptoError('integrity') on a wrong key, AAD, order or modified ciphertext. */
  open(aad: Uint8Array, ct: Uint8Array): Promise<Uint8Array> {
    return this.#serial(async () => {
      const pt = await this.#aead.open(this.#ks.key, this.#nonce(), aad, ct);
      this.#seq++;
      return pt;
    });
  }

  /** §5.3 secret export. */
  export(exporterContext: Uint8Array, L: number): Uint8Array {
    return labeledExpand(this.#suiteId, this.#ks.exporterSecret, 'sec', exporterContext, L);
  }
}

export interface SetupOptions {
  /** Defaults to AES-256-GCM (SecureMed's suite). */
  aead?: Aead;
  /** Deterministic ephemeral key input: for test vectors only. */
  ikmE?: Uint8Array;
}

/** §5.1.1 SetupBaseS: one encapsulation; the context then seals any number of messages in order. */
export function setupBaseS(
  pkR: Uint8Array,
  info: Uint8Array,
  opts: SetupOptions = {},
): { enc: Uint8Array; ctx: HpkeContext } {
  const aead = opts.aead ?? AES_256_GCM;
  const { sharedSecret, enc } = encap(pkR, opts.ikmE);
  return { enc, ctx: new HpkeContext(aead, keySchedule(aead, sharedSecret, info)) };
}

/** §5.1.1 SetupBaseR. */
export function setupBaseR(
  enc: Uint8Array,
  skR: Uint8Array,
  info: Uint8Array,
  opts: { aead?: Aead } = {},
): HpkeContext {
  const aead = opts.aead ?? AES_256_GCM;
  return new HpkeContext(aead, keySchedule(aead, decap(enc, skR), info));
}

/** §6.1 single-shot SealBase. */
export async function sealBase(
  pkR: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
  opts: SetupOptions = {},
): Promise<{ enc: Uint8Array; ct: Uint8Array }> {
  const { enc, ctx } = setupBaseS(pkR, info, opts);
  return { enc, ct: await ctx.seal(aad, pt) };
}

/** §6.1 single-shot OpenBase. */
export async function openBase(
  enc: Uint8Array,
  skR: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
  opts: { aead?: Aead } = {},
): Promise<Uint8Array> {
  return setupBaseR(enc, skR, info, opts).open(aad, ct);
}
