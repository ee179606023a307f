import { describe, expect, it } from 'vitest';
import { latestOnly } from '../../../extension/ui/latest';

/** Controlled answers: each call waits until the test resolves it, in any order. */
function controlled() {
  const pending: Array<(value: string) => void> = [];
  const load = () => new Promise<string>((resolve) => pending.push(resolve));
  return { load, answer: (i: number, value: string) => pending[i]!(value) };
}

describe('latestOnly: overlapping refreshes show the newest answer', () => {
  it('drops an older answer that arrives after a newer one (the stale thread view)', async () => {
    const { load, answer } = controlled();
    const shown: string[] = [];
    const refresh = latestOnly(load);
    const first = refresh().then((v) => v !== undefined && shown.push(v));
    const second = refresh().then((v) => v !== undefined && shown.push(v));
    answer(1, 'with the new message');
    await second;
    answer(0, 'before the message');
    await first;
    expect(shown).toEqual(['with the new message']);
  });

  it('applies every answer when calls do not overlap', async () => {
    const { load, answer } = controlled();
    const refresh = latestOnly(load);
    const a = refresh();
    answer(0, 'one');
    expect(await a).toBe('one');
    const b = refresh();
    answer(1, 'two');
    expect(await b).toBe('two');
  });

  it("drops a superseded call's failure, and reports the newest call's", async () => {
    let n = 0;
    const refresh = latestOnly(async () => {
      n++;
      throw new Error(`failure ${n}`);
    });
    const first = refresh();
    const second = refresh();
    expect(await first).toBeUndefined();
    await expect(second).rejects.toThrow('failure 2');
  });

  it('keeps only the last of three overlapping calls, whatever order they finish in', async () => {
    const { load, answer } = controlled();
    const refresh = latestOnly(load);
    const calls = [refresh(), refresh(), refresh()];
    answer(2, 'third');
    answer(0, 'first');
    answer(1, 'second');
    expect(await Promise.all(calls)).toEqual([undefined, undefined, 'third']);
  });
});
