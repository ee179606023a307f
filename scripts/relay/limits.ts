// The relay's bounds, with defaults sized for the local stack (one or two extension profiles and a few
// node clients on loopback) and overridable per relay (tests, the bench, an operator's CLI flags).
import type { Rate } from './quotas';

export interface ByteRate {
  bytesBurst: number;
  bytesPerS: number;
}

export interface IpRate extends ByteRate {
  requestsBurst: number;
  requestsPerS: number;
}

export interface RelayLimits {
  /** Token age limit (xmtp-js renews its token 10 s before an hour) and tolerated clock skew. */
  tokenMaxAgeMs: number;
  tokenSkewMs: number;
  /** Envelopes are dropped this long after they arrived; checked at start and every `expireEveryMs`. */
  retentionMs: number;
  expireEveryMs: number;
  /** Publish quotas, charged in bytes (message size + `envelopeOverheadBytes`). */
  identity: ByteRate;
  wallet: ByteRate;
  /** Per client IP: publish bytes and requests of every kind. On loopback every local program shares one. */
  ip: IpRate;
  envelopeOverheadBytes: number;
  /** Refuse publishes once this many message bytes are stored: the hard bound on disk use. */
  maxStoredBytes: number;
  maxStreams: number;
  maxStreamsPerIp: number;
  /** Open TCP connections (streams plus ordinary requests). */
  maxConnections: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: RelayLimits = {
  tokenMaxAgeMs: 60 * 60 * 1000,
  tokenSkewMs: 5 * 60 * 1000,
  retentionMs: 30 * 24 * 60 * 60 * 1000,
  expireEveryMs: 10 * 60 * 1000,
  // ~4,000 text messages at once, then ~16 a second, per identity key and per wallet.
  identity: { bytesBurst: 4 * MiB, bytesPerS: 16 * 1024 },
  wallet: { bytesBurst: 8 * MiB, bytesPerS: 32 * 1024 },
  ip: { bytesBurst: 32 * MiB, bytesPerS: 256 * 1024, requestsBurst: 2_000, requestsPerS: 500 },
  envelopeOverheadBytes: 256,
  maxStoredBytes: 1024 * MiB,
  maxStreams: 1_000,
  maxStreamsPerIp: 200,
  maxConnections: 4_000,
};

export type LimitOverrides = Partial<Omit<RelayLimits, 'identity' | 'wallet' | 'ip'>> & {
  identity?: Partial<ByteRate>;
  wallet?: Partial<ByteRate>;
  ip?: Partial<IpRate>;
};

export function withDefaults(o: LimitOverrides = {}): RelayLimits {
  return {
    ...DEFAULT_LIMITS,
    ...o,
    identity: { ...DEFAULT_LIMITS.identity, ...o.identity },
    wallet: { ...DEFAULT_LIMITS.wallet, ...o.wallet },
    ip: { ...DEFAULT_LIMITS.ip, ...o.ip },
  };
}

export const byteRate = (r: ByteRate): Rate => ({ burst: r.bytesBurst, perS: r.bytesPerS });
