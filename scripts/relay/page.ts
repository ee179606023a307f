// One page of a query, read from per-topic lists that are each kept sorted by (timestamp, arrival):
// binary-search each list for the window [start, end] and the cursor, then merge the lists' heads with
// a heap until the page (plus one, to know whether more remain) is full. Cost: O(topics · log n +
// page · log topics), whatever the number of stored envelopes; nothing is sorted or copied wholesale.

export interface Ordered {
  ts: bigint;
  seq: number; // arrival order, the tie-breaker for equal timestamps
}

/** A position between envelopes: seq ±Infinity places it after/before every envelope of that timestamp. */
export interface Key {
  ts: bigint;
  seq: number;
}

export interface PageRequest {
  startTimeNs?: bigint;
  endTimeNs?: bigint;
  limit: number;
  descending: boolean;
  /** Strictly after this key in the direction of the query. */
  after?: Key;
}

export function compareKeys(a: Key, b: Key): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

/** First index whose element is greater than `key` (upper bound). */
export function firstAfter(list: readonly Ordered[], key: Key): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(list[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Head {
  list: readonly Ordered[];
  at: number; // next index to take
  stop: number; // exclusive bound in the direction of travel
}

export function readPage<T extends Ordered>(lists: readonly (readonly T[])[], p: PageRequest): { page: T[]; more: boolean } {
  const heads: Head[] = [];
  for (const list of lists) {
    // Window [lo, hi) of elements inside the time bounds.
    let lo = p.startTimeNs === undefined ? 0 : firstAfter(list, { ts: p.startTimeNs, seq: -Infinity });
    let hi = p.endTimeNs === undefined ? list.length : firstAfter(list, { ts: p.endTimeNs, seq: Infinity });
    if (p.after) {
      if (p.descending) hi = Math.min(hi, firstAfter(list, { ...p.after, seq: p.after.seq - 0.5 }));
      else lo = Math.max(lo, firstAfter(list, p.after));
    }
    if (lo >= hi) continue;
    heads.push(p.descending ? { list, at: hi - 1, stop: lo - 1 } : { list, at: lo, stop: hi });
  }
  // Min-heap for ascending pages, max-heap for descending ones.
  const sign = p.descending ? -1 : 1;
  const before = (a: Head, b: Head) => sign * compareKeys(a.list[a.at], b.list[b.at]) < 0;
  const heap = new MinHeap(heads, before);
  const page: T[] = [];
  while (page.length <= p.limit && heap.size > 0) {
    const h = heap.peek();
    page.push(h.list[h.at] as T);
    h.at += sign;
    if (h.at === h.stop) heap.pop();
    else heap.fixTop();
  }
  const more = page.length > p.limit;
  if (more) page.pop();
  return { page, more };
}

class MinHeap<T> {
  constructor(
    private readonly items: T[],
    private readonly before: (a: T, b: T) => boolean,
  ) {
    for (let i = (items.length >>> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T {
    return this.items[0];
  }

  pop(): void {
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
  }

  /** The top element's key changed (it only ever moves away from the top). */
  fixTop(): void {
    this.down(0);
  }

  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < a.length && this.before(a[l], a[best])) best = l;
      if (r < a.length && this.before(a[r], a[best])) best = r;
      if (best === i) return;
      [a[i], a[best]] = [a[best], a[i]];
      i = best;
    }
  }
}
