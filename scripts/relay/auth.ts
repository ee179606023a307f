// XMTP V2 auth tokens, verified the way the V2 protocol defines them (xmtp-js 13 builds them in
// src/authn/LocalAuthenticator.ts; the node checked them in xmtp-node-go pkg/api/authentication.go):
//   Token { identityKey: PublicKey, authDataBytes, authDataSignature }
//   - identityKey: a legacy PublicKey {timestamp, secp256k1Uncompressed, signature}, whose signature is
//     the wallet's personal_sign (EIP-191) over "XMTP : Create Identity\n<hex of the unsigned key>\n\n…";
//     recovering it gives the wallet address;
//   - authDataBytes: AuthData {walletAddr, createdNs}; walletAddr must be that recovered address;
//   - authDataSignature: the identity key's ECDSA signature over keccak256(authDataBytes).
// A token is refused when older than `maxAgeMs` or dated more than `skewMs` ahead.
import { createRequire } from 'node:module';
import { getBytes, hashMessage, hexlify, keccak256, recoverAddress, Signature, SigningKey } from 'ethers';
import { Grpc, HttpError } from './http';

// @xmtp/proto's ESM build uses extensionless imports that plain Node ESM cannot load; its CommonJS build
// loads everywhere (tsx, vitest with or without inlining), so require it explicitly.
const proto = createRequire(import.meta.url)('@xmtp/proto') as typeof import('@xmtp/proto');

export interface VerifiedToken {
  /** EIP-55 wallet address the identity key is signed by. */
  wallet: string;
  /** Hex of the uncompressed identity key: quotas count per identity. */
  identityKey: string;
  createdMs: number;
}

interface CompactSig {
  bytes: Uint8Array;
  recovery: number;
}

const refuse = (why: string) => new HttpError(401, Grpc.UNAUTHENTICATED, `invalid auth token: ${why}`);

function ecdsaSignature(sig: CompactSig | undefined, what: string): Signature {
  if (!sig || sig.bytes.length !== 64 || (sig.recovery !== 0 && sig.recovery !== 1)) throw refuse(`${what} is malformed`);
  try {
    return Signature.from({ r: hexlify(sig.bytes.subarray(0, 32)), s: hexlify(sig.bytes.subarray(32)), yParity: sig.recovery as 0 | 1 });
  } catch {
    throw refuse(`${what} is malformed`);
  }
}

export function identitySigRequestText(keyBytes: Uint8Array): string {
  return `XMTP : Create Identity\n${Buffer.from(keyBytes).toString('hex')}\n\nFor more info: https://xmtp.org/signatures/`;
}

/** Decodes and checks a token (base64, as sent after "Bearer "); throws a 401 HttpError (gRPC 16). */
export function verifyToken(base64: string, nowMs: number, maxAgeMs: number, skewMs: number): VerifiedToken {
  let token: import('@xmtp/proto').authn.Token;
  let authData: import('@xmtp/proto').authn.AuthData;
  try {
    token = proto.authn.Token.decode(Buffer.from(base64, 'base64'));
    authData = proto.authn.AuthData.decode(token.authDataBytes);
  } catch {
    throw refuse('not an XMTP token');
  }
  const key = token.identityKey;
  const point = key?.secp256k1Uncompressed?.bytes;
  if (!key || !point || point.length !== 65 || point[0] !== 4) throw refuse('missing identity key');

  // The wallet signed the key without its signature field (xmtp-js PublicKey.bytesToSign).
  const unsigned = proto.publicKey.PublicKey.encode({ timestamp: key.timestamp, secp256k1Uncompressed: key.secp256k1Uncompressed }).finish();
  // Some clients put the wallet signature in walletEcdsaCompact; xmtp-js reads either.
  const walletSig = ecdsaSignature(key.signature?.ecdsaCompact ?? key.signature?.walletEcdsaCompact, 'identity key signature');
  let wallet: string;
  try {
    wallet = recoverAddress(hashMessage(identitySigRequestText(unsigned)), walletSig);
  } catch {
    throw refuse('identity key signature does not verify');
  }
  if (authData.walletAddr.toLowerCase() !== wallet.toLowerCase()) throw refuse('wallet address does not match the identity key');

  const authSig = ecdsaSignature(token.authDataSignature?.ecdsaCompact, 'auth data signature');
  let signer: string;
  try {
    signer = SigningKey.recoverPublicKey(keccak256(token.authDataBytes), authSig);
  } catch {
    throw refuse('auth data signature does not verify');
  }
  const identityKey = Buffer.from(point).toString('hex');
  if (Buffer.compare(Buffer.from(getBytes(signer)), Buffer.from(point)) !== 0) throw refuse('auth data not signed by the identity key');

  const createdMs = Number(BigInt(authData.createdNs.toString()) / 1_000_000n);
  checkAge(createdMs, nowMs, maxAgeMs, skewMs);
  return { wallet, identityKey, createdMs };
}

export function checkAge(createdMs: number, nowMs: number, maxAgeMs: number, skewMs: number): void {
  if (nowMs - createdMs > maxAgeMs) throw refuse('expired');
  if (createdMs - nowMs > skewMs) throw refuse('dated in the future');
}

/**
 * Verifying costs two ECDSA recoveries (~2 ms); a client reuses one token for up to an hour, so verified
 * tokens are remembered (bounded, oldest dropped first). Age is checked again on every use.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, VerifiedToken>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly skewMs: number,
    private readonly maxCached = 4096,
  ) {}

  verify(base64: string, nowMs: number): VerifiedToken {
    const hit = this.cache.get(base64);
    if (hit) {
      checkAge(hit.createdMs, nowMs, this.maxAgeMs, this.skewMs);
      return hit;
    }
    const v = verifyToken(base64, nowMs, this.maxAgeMs, this.skewMs);
    if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(base64, v);
    return v;
  }
}
