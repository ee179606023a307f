// The bounded merge that answers queries gives exactly what sorting everything would: random topics
// (equal timestamps included), time windows, both directions, and paging with cursors to the end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, firstAfter, readPage, type Key, type Ordered, type PageRequest } from '../../scripts/relay/page';

interface Env extends Ordered {
  topic: number;
}

function reference(lists: Env[][], p: PageRequest): Env[] {
  let all = lists.flat().sort(compareKeys);
  all = all.filter((e) => (p.startTimeNs === undefined || e.ts >= p.startTimeNs) && (p.endTimeNs === undefined || e.ts <= p.endTimeNs));
  if (p.descending) all.reverse();
  if (p.after) all = all.filter((e) => (p.descending ? compareKeys(e, p.after!) < 0 : compareKeys(e, p.after!) > 0));
  return all;
}

const arbitraryStore = fc
  .array(fc.record({ topic: fc.integer({ min: 0, max: 5 }), ts: fc.bigInt({ min: 0n, max: 40n }) }), { maxLength: 120 })
  .map((raw) => {
    const lists: Env[][] = Array.from({ length: 6 }, () => []);
    raw.forEach((r, seq) => {
      const list = lists[r.topic];
      const env = { ...r, seq };
      list.splice(firstAfter(list, env), 0, env); // as the store inserts
    });
    return lists;
  });

describe('readPage', () => {
  it('pages through any selection of topics exactly like a full sort would', () => {
    fc.assert(
      fc.property(
        arbitraryStore,
        fc.subarray([0, 1, 2, 3, 4, 5], { minLength: 1 }),
        fc.option(fc.bigInt({ min: 0n, max: 40n }), { nil: undefined }),
        fc.option(fc.bigInt({ min: 0n, max: 40n }), { nil: undefined }),
        fc.integer({ min: 1, max: 15 }),
        fc.boolean(),
        (lists, topics, startTimeNs, endTimeNs, limit, descending) => {
          const chosen = topics.map((i) => lists[i]);
          const expected = reference(chosen, { startTimeNs, endTimeNs, limit, descending });
          const seen: Env[] = [];
          let after: Key | undefined;
          for (let pages = 0; ; pages++) {
            expect(pages, 'paging must progress').toBeLessThanOrEqual(expected.length);
            const { page, more } = readPage(chosen, { startTimeNs, endTimeNs, limit, descending, after });
            expect(page.length).toBeLessThanOrEqual(limit);
            seen.push(...page);
            if (!more) break;
            expect(page).toHaveLength(limit);
            after = page[page.length - 1];
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('positions an unknown cursor by its timestamp alone', () => {
    const list: Env[] = [0n, 5n, 5n, 9n].map((ts, seq) => ({ ts, seq, topic: 0 }));
    const asc = readPage([list], { limit: 10, descending: false, after: { ts: 5n, seq: Infinity } });
    expect(asc.page.map((e) => e.ts)).toEqual([9n]);
    const desc = readPage([list], { limit: 10, descending: true, after: { ts: 5n, seq: -Infinity } });
    expect(desc.page.map((e) => e.ts)).toEqual([0n]);
  });
});
