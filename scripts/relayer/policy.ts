// Sponsorship policy: who gets how much gas paid. Three limits, each answered with 429 and a body that
// names the limit and when to come back:
// - per signer account: sponsored actions per window (a pairwise account is one account here);
// - per client IP: sponsored actions per window, and raw requests per minute (cheap refusals too cost
//   a signature check or a simulation);
// - an overall budget in wei, reserved at acceptance from the simulated gas × the current max fee and
//   settled with what the receipt says was paid. Spent wei survive a restart when the relayer has a
//   data file.

export interface Window {
  max: number;
  windowMs: number;
}

export interface PolicyConfig {
  perAccount: Window;
  perIp: Window;
  /** Requests of any kind per IP per minute (before any work is done). */
  requestsPerIpPerMinute: number;
  /** The most this relayer pays in total, in wei. */
  budgetWei: bigint;
}

export const DEFAULT_POLICY: PolicyConfig = {
  perAccount: { max: 50, windowMs: 60 * 60 * 1000 },
  perIp: { max: 500, windowMs: 60 * 60 * 1000 },
  requestsPerIpPerMinute: 600,
  budgetWei: 10n ** 18n, // 1 ETH: thousands of signed actions at local-chain fees
};

export class LimitExceeded extends Error {
  constructor(readonly limit: 'account' | 'ip' | 'requests' | 'budget', message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

/** Fixed windows per key; old keys are dropped as they are met. */
class Counter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly w: Window) {}

  /** Seconds until `key` may be counted again, or 0 when it is under its limit. */
  waitSeconds(key: string, now = Date.now()): number {
    const e = this.windows.get(key);
    if (!e || now - e.start >= this.w.windowMs) return 0;
    return e.count < this.w.max ? 0 : Math.ceil((e.start + this.w.windowMs - now) / 1000);
  }

  add(key: string, now = Date.now()): void {
    const e = this.windows.get(key);
    if (!e || now - e.start >= this.w.windowMs) this.windows.set(key, { start: now, count: 1 });
    else e.count++;
    if (this.windows.size > 100_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [k, e] of this.windows) if (now - e.start >= this.w.windowMs) this.windows.delete(k);
  }
}

export interface BudgetState {
  spentWei: bigint;
  reservedWei: bigint;
}

export class Sponsorship {
  private readonly accounts: Counter;
  private readonly ips: Counter;
  private readonly requests: Counter;
  private reservedWei = 0n;

  constructor(readonly config: PolicyConfig, private spentWei = 0n) {
    this.accounts = new Counter(config.perAccount);
    this.ips = new Counter(config.perIp);
    this.requests = new Counter({ max: config.requestsPerIpPerMinute, windowMs: 60_000 });
  }

  /** Every request, before any work. */
  countRequest(ip: string): void {
    const wait = this.requests.waitSeconds(ip);
    if (wait) throw new LimitExceeded('requests', `Too many requests from ${ip}: at most ${this.config.requestsPerIpPerMinute} a minute.`, wait);
    this.requests.add(ip);
  }

  /** Before simulating a sponsored action: may this account and this IP have one more? */
  checkSponsorable(account: string, ip: string): void {
    const a = this.accounts.waitSeconds(account.toLowerCase());
    if (a) {
      throw new LimitExceeded('account', `Account ${account} has used its ${this.config.perAccount.max} sponsored actions for this period.`, a);
    }
    const i = this.ips.waitSeconds(ip);
    if (i) throw new LimitExceeded('ip', `Address ${ip} has used its ${this.config.perIp.max} sponsored actions for this period.`, i);
  }

  /** Reserves `costWei` of the budget (throws when it would be exceeded); returns the reservation. */
  reserve(costWei: bigint): bigint {
    if (this.spentWei + this.reservedWei + costWei > this.config.budgetWei) {
      throw new LimitExceeded('budget', 'The relayer has spent its gas budget: submit the transaction yourself (pay the gas), or try another relayer.');
    }
    this.reservedWei += costWei;
    return costWei;
  }

  /** The action was accepted: it counts against the account and the IP. */
  charge(account: string, ip: string): void {
    this.accounts.add(account.toLowerCase());
    this.ips.add(ip);
  }

  /** A reservation ends: with what was actually paid (0 when nothing was sent). */
  settle(reservedWei: bigint, paidWei: bigint): void {
    this.reservedWei -= reservedWei;
    if (this.reservedWei < 0n) this.reservedWei = 0n;
    this.spentWei += paidWei;
  }

  budget(): BudgetState & { budgetWei: bigint } {
    return { spentWei: this.spentWei, reservedWei: this.reservedWei, budgetWei: this.config.budgetWei };
  }
}
