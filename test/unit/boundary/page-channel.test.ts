import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type BridgeToBackgroundWire,
  type PageRequestWire,
  type PageToExtensionWire,
  PAGE_CHANNEL,
  isPageToExtension,
  jsonChars,
} from '../../../shared/protocol/channel';
import { Limits } from '../../../shared/protocol/limits';
import { BridgeToBackground, PageRequest, PageToExtension } from '../../../shared/protocol/page';

/**
 * The bridge checks page messages by hand (channel.ts, no schema library, so it stays small); the
 * background parses them with zod (page.ts). "One schema" holds only if the two accept exactly the
 * same messages and describe the same types: this file is that claim.
 */
const agree = (value: unknown) => expect(isPageToExtension(value)).toBe(PageToExtension.safeParse(value).success);

const valid = { channel: PAGE_CHANNEL, direction: 'to-extension', id: 'r1', request: { method: 'securemed_connect' } } as const;

describe('the bridge admission check equals the PageToExtension schema', () => {
  it('on chosen edge cases', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bigParams = (chars: number) => 'x'.repeat(chars - 2); // JSON adds two quotes
    const cases: unknown[] = [
      valid,
      { ...valid, request: { method: 'securemed_connect', params: undefined } },
      { ...valid, request: { method: 'securemed_connect', params: [1, { a: 'b' }] } },
      { ...valid, request: { method: 'securemed_connect', params: bigParams(Limits.pageParamsChars) } },
      { ...valid, request: { method: 'securemed_connect', params: bigParams(Limits.pageParamsChars + 1) } },
      { ...valid, request: { method: 'securemed_connect', params: 10n } },
      { ...valid, request: { method: 'securemed_connect', params: cyclic } },
      { ...valid, request: { method: '' } },
      { ...valid, request: { method: 'm'.repeat(Limits.methodChars) } },
      { ...valid, request: { method: 'm'.repeat(Limits.methodChars + 1) } },
      { ...valid, request: { method: 'securemed_connect', extra: 1 } },
      { ...valid, request: ['securemed_connect'] },
      { ...valid, request: null },
      { ...valid, id: '' },
      { ...valid, id: 'i'.repeat(Limits.requestIdChars) },
      { ...valid, id: 'i'.repeat(Limits.requestIdChars + 1) },
      { ...valid, id: 7 },
      { ...valid, origin: 'https://bank.example' },
      { ...valid, channel: 'other' },
      { ...valid, direction: 'to-page' },
      { channel: PAGE_CHANNEL, direction: 'to-extension', id: 'r1' },
      null,
      undefined,
      'securemed',
      [valid],
      new Date(),
    ];
    for (const value of cases) agree(value);
    expect(isPageToExtension(valid)).toBe(true);
  });

  it('on generated messages near the shape and the limits', () => {
    // Mostly valid fields with one in six wrong, so accepted and refused messages both occur often.
    const mostly = (good: fc.Arbitrary<unknown>, bad: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: good, weight: 5 }, { arbitrary: bad, weight: 1 });
    const lengths = (max: number) => fc.constantFrom(0, 1, max - 1, max, max + 1).map((n) => 'x'.repeat(n));
    const atParamsLimit = fc.constantFrom(-1, 0, 1).map((d) => 'p'.repeat(Limits.pageParamsChars - 2 + d)); // JSON adds 2 quotes
    // An unknown extra key, sometimes (fc.record would add an optional key four times in five).
    const NONE = Symbol('none');
    const withExtra = <T extends Record<string, unknown>>(arb: fc.Arbitrary<T>) =>
      fc.tuple(arb, mostly(fc.constant(NONE), fc.anything())).map(([value, extra]) => (extra === NONE ? value : { ...value, extra }));
    const request = withExtra(
      fc.record({
        method: mostly(fc.string({ minLength: 1, maxLength: 20 }), fc.oneof(lengths(Limits.methodChars), fc.anything())),
        params: mostly(fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 })), fc.oneof(atParamsLimit, fc.bigInt(), fc.anything())),
      }),
    );
    const message = withExtra(
      fc.record({
        channel: mostly(fc.constant(PAGE_CHANNEL), fc.string()),
        direction: mostly(fc.constant('to-extension'), fc.constantFrom('to-page', '')),
        id: mostly(fc.uuid(), fc.oneof(lengths(Limits.requestIdChars), fc.anything())),
        request: mostly(request, fc.anything()),
      }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: message, weight: 9 }, { arbitrary: fc.anything(), weight: 1 }), (value) => {
        agree(value);
        if (isPageToExtension(value)) accepted++;
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('measures params as JSON, and a value with no JSON form as too large', () => {
    expect(jsonChars(undefined)).toBe(0);
    expect(jsonChars({ a: 1 })).toBe(7);
    expect(jsonChars(1n)).toBe(Infinity);
    expect(PageRequest.safeParse({ method: 'm', params: 1n }).success).toBe(false);
  });
});

describe('the wire types equal the schemas', () => {
  it('PageRequest, PageToExtension and BridgeToBackground', () => {
    expectTypeOf<PageRequest>().toEqualTypeOf<PageRequestWire>();
    expectTypeOf<PageToExtension>().toEqualTypeOf<PageToExtensionWire>();
    expectTypeOf<BridgeToBackground>().toEqualTypeOf<BridgeToBackgroundWire>();
  });
});
