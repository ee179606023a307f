// Deterministic randomness for the synthetic corpus: mulberry32, a tiny 32-bit PRNG. Not for secrets;
// only so that the same seed gives byte-identical test data in Node scripts, tests and the browser.
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** Approximately normal (sum of uniforms), for lab values around a mean. */
  normal(mean: number, sd: number): number;
  hex(chars: number): string;
}

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    // Sum of 6 uniforms: mean 3, variance 6/12, so (sum - 3) / sqrt(1/2) is close to a standard normal.
    normal: (mean, sd) => mean + (sd * (next() + next() + next() + next() + next() + next() - 3)) / Math.SQRT1_2,
    hex: (chars) => {
      let s = '';
      while (s.length < chars) s += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
      return s.slice(0, chars);
    },
  };
}
