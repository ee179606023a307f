import { describe, expect, it } from 'vitest';
import { isPageToExtension, jsonChars, PAGE_CHANNEL } from '../../../shared/protocol/channel';
import { ProviderErrorCode } from '../../../shared/protocol/errors';
import { Limits } from '../../../shared/protocol/limits';
import { PageRequest } from '../../../shared/protocol/page';
import { createProvider, type ProviderWindow } from '../../../extension/page-world/provider';

/** Bounds found by the page fuzz test (test/e2e/portal-fuzz.test.ts): deep params, uncloneable params. */
const nest = (depth: number) => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { d: v };
  return v;
};

describe('page params: nesting depth is bounded like size', () => {
  it('accepts up to the limit, refuses deeper (bridge and background agree)', () => {
    const ok = nest(Limits.pageParamsDepth);
    const deep = nest(Limits.pageParamsDepth + 1);
    expect(jsonChars(ok)).toBeLessThan(Infinity);
    expect(jsonChars(deep)).toBe(Infinity);
    expect(jsonChars({ s: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\\"' })).toBeLessThan(Infinity); // brackets in strings do not count
    const message = (params: unknown) => ({ channel: PAGE_CHANNEL, direction: 'to-extension', id: '1', request: { method: 'securemed_search', params } });
    expect(isPageToExtension(message(ok))).toBe(true);
    expect(isPageToExtension(message(deep))).toBe(false);
    expect(PageRequest.safeParse({ method: 'm', params: ok }).success).toBe(true);
    expect(PageRequest.safeParse({ method: 'm', params: deep }).success).toBe(false);
    expect(jsonChars(nest(20_000))).toBe(Infinity);
  });
});

describe('provider: params the browser cannot send', () => {
  it('rejects with an EIP-1193 error (-32602), not a DOMException', async () => {
    const win: ProviderWindow = {
      addEventListener: () => undefined,
      dispatchEvent: () => true,
      postMessage: () => {
        throw new DOMException("Failed to execute 'postMessage' on 'Window': Maximum call stack size exceeded", 'DataCloneError');
      },
    };
    const provider = createProvider(win);
    await expect(provider.request({ method: 'securemed_search', params: {} })).rejects.toMatchObject({ code: ProviderErrorCode.invalidParams });
  });
});

describe('provider: params it refuses before posting', () => {
  it('too deep, cyclic or BigInt params reject at once with -32602 (nothing is posted)', async () => {
    const posted: unknown[] = [];
    const win: ProviderWindow = { addEventListener: () => undefined, dispatchEvent: () => true, postMessage: (m: unknown) => void posted.push(m) };
    const provider = createProvider(win);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const params of [nest(Limits.pageParamsDepth + 1), cyclic, { n: 1n }, 'x'.repeat(Limits.pageParamsChars + 1)]) {
      await expect(provider.request({ method: 'securemed_search', params })).rejects.toMatchObject({ code: ProviderErrorCode.invalidParams });
    }
    expect(posted).toEqual([]);
    void provider.request({ method: 'securemed_search', params: nest(Limits.pageParamsDepth) });
    expect(posted).toHaveLength(1);
  });
});
