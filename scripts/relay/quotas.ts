// Token buckets keyed by identity key, wallet address or client IP. A bucket holds up to `burst`
// units and refills at `perS` units a second; a request is admitted only if every bucket it is charged
// to can pay, and then all of them pay (so a refused request costs nothing anywhere).
// The key maps are bounded: past `maxKeys` the least recently used key is forgotten (it comes back full,
// which the per-IP buckets bound).

export interface Rate {
  burst: number;
  perS: number;
}

interface Bucket {
  tokens: number;
  at: number; // ms of the last refill
}

export class Buckets {
  private readonly map = new Map<string, Bucket>();

  constructor(
    private readonly rate: Rate,
    private readonly maxKeys = 50_000,
  ) {}

  private get(key: string, now: number): Bucket {
    let b = this.map.get(key);
    if (b) {
      this.map.delete(key); // re-insert: Map order is the LRU order
      // A clock that stepped back refills nothing (rather than draining the bucket).
      b.tokens = Math.min(this.rate.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.rate.perS);
      b.at = now;
    } else {
      b = { tokens: this.rate.burst, at: now };
      if (this.map.size >= this.maxKeys) this.map.delete(this.map.keys().next().value!);
    }
    this.map.set(key, b);
    return b;
  }

  /** Seconds until `cost` would be affordable (0: now). */
  wait(key: string, cost: number, now: number): number {
    const b = this.get(key, now);
    if (b.tokens >= cost) return 0;
    return cost > this.rate.burst ? Infinity : (cost - b.tokens) / this.rate.perS;
  }

  take(key: string, cost: number, now: number): void {
    this.get(key, now).tokens -= cost;
  }
}

export interface Charge {
  buckets: Buckets;
  key: string;
  cost: number;
}

/** Charges every bucket or none. Returns 0 when admitted, else the seconds to wait (for Retry-After). */
export function chargeAll(charges: Charge[], now: number): number {
  const wait = Math.max(0, ...charges.map((c) => c.buckets.wait(c.key, c.cost, now)));
  if (wait > 0) return wait;
  for (const c of charges) c.buckets.take(c.key, c.cost, now);
  return 0;
}
