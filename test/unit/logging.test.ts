import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { clearLog, flushLog, logError, logged, MAX_ENTRIES, readLog } from '../../extension/logging/log';
import { UiError } from '../../shared/protocol/ui-errors';

describe('support log', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await clearLog();
  });

  it('keeps the place, a fixed description and the kind of error — never the error text of arbitrary errors', async () => {
    logError('messaging', 'catch-up failed', new TypeError('fetch failed for Patient/123 John Smith 0xabc'));
    logError('vault', 'unlock refused', new UiError('locked', 'Unlock your vault first.'));
    await flushLog();
    const entries = await readLog();
    expect(entries.map(({ area, what, kind }) => ({ area, what, kind }))).toEqual([
      { area: 'messaging', what: 'catch-up failed', kind: 'TypeError' },
      { area: 'vault', what: 'unlock refused', kind: 'locked: Unlock your vault first.' },
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/John|Patient\/123|0xabc/);
  });

  it('counts repeats instead of growing, and is bounded', async () => {
    for (let i = 0; i < 5; i++) logError('relay', 'stream lost', new Error('x'));
    for (let i = 0; i < MAX_ENTRIES + 20; i++) logError('records', `chunk ${i} unreadable`);
    await flushLog();
    const entries = await readLog();
    expect(entries).toHaveLength(MAX_ENTRIES);
    expect(entries.at(-1)!.what).toBe(`chunk ${MAX_ENTRIES + 19} unreadable`);
  });

  it('logged() swallows and records', async () => {
    const result = await Promise.reject(new RangeError('boom')).catch(logged('messaging', 'stop stream'));
    expect(result).toBeUndefined();
    await flushLog();
    expect((await readLog())[0]).toMatchObject({ area: 'messaging', what: 'stop stream', kind: 'RangeError', count: 1 });
  });
});
