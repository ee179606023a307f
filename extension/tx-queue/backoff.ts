/**
 * When the queue tries an action again. Two clocks, both on this machine (scheduling only: what the
 * contracts compare, deadlines, comes from block time):
 * - retry: the relayer or the chain did not take the action (down, a limit, a 5xx). Doubles from
 *   `retryBaseMs` up to `retryMaxMs`, never sooner than the relayer's Retry-After, with ±20% jitter so
 *   many profiles coming back online do not all knock at once.
 * - poll: a relayer accepted it and we wait for the block. Starts short (a local chain mines at once),
 *   grows to `pollMaxMs`.
 */
export interface Timing {
  retryBaseMs: number;
  retryMaxMs: number;
  pollBaseMs: number;
  pollMaxMs: number;
}

export const DEFAULT_TIMING: Timing = {
  retryBaseMs: 5_000,
  retryMaxMs: 10 * 60_000,
  pollBaseMs: 1_000,
  pollMaxMs: 30_000,
};

/** The timing in force; tests shorten it (the schedule's shape stays the same). */
export const timing: Timing = { ...DEFAULT_TIMING };

/** Delay before retry number `failures` (1 = after the first failure), without jitter. */
export function retryDelayMs(failures: number, t: Timing = timing): number {
  const n = Math.max(1, Math.floor(failures));
  return Math.min(t.retryMaxMs, t.retryBaseMs * 2 ** Math.min(n - 1, 30));
}

/** ±20% jitter on a delay; `random` in [0, 1). */
export function withJitter(delayMs: number, random: number = Math.random()): number {
  return Math.round(delayMs * (0.8 + 0.4 * random));
}

/** When to retry after `failures` failures, honouring the relayer's Retry-After (seconds) when it gave one. */
export function nextRetryAt(now: number, failures: number, retryAfterSeconds?: number, random?: number): number {
  const delay = Math.max(withJitter(retryDelayMs(failures), random), (retryAfterSeconds ?? 0) * 1000);
  return now + delay;
}

/** Delay before status poll number `polls` (1 = the first poll after acceptance). */
export function pollDelayMs(polls: number, t: Timing = timing): number {
  const n = Math.max(1, Math.floor(polls));
  return Math.min(t.pollMaxMs, t.pollBaseMs * 2 ** Math.min(n - 1, 30));
}
