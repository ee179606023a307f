import { describe, expect, it } from 'vitest';
import {
  concat,
  equalBytes,
  fromBase64,
  fromHex,
  fromUtf8,
  i2osp,
  lengthPrefixed,
  randomBytes,
  toBase64,
  toHex,
  utf8,
} from '../../../shared/crypto/bytes.js';
import { canonicalJson, canonicalJsonBytes } from '../../../shared/crypto/canonical-json.js';

describe('bytes', () => {
  it('hex and base64 round-trip and agree with Node Buffer', () => {
    const b = randomBytes(257);
    expect(toHex(b)).toBe(Buffer.from(b).toString('hex'));
    expect(fromHex(toHex(b))).toEqual(b);
    expect(fromHex(`0x${toHex(b).toUpperCase()}`)).toEqual(b);
    expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
    expect(fromBase64(toBase64(b))).toEqual(b);
    for (const n of [0, 1, 2, 3]) expect(toBase64(fromBase64(toBase64(b.subarray(0, n))))).toBe(Buffer.from(b.subarray(0, n)).toString('base64'));
  });

  it('rejects malformed hex, base64 and UTF-8', () => {
    for (const bad of ['abc', 'zz', '0x0g']) expect(() => fromHex(bad)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    for (const bad of ['abc', 'ab c', 'ab==cd==', 'a-_b']) {
      expect(() => fromBase64(bad)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    }
    expect(() => fromUtf8(Uint8Array.of(0xff, 0xfe))).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(fromUtf8(utf8('héllo ✓'))).toBe('héllo ✓');
  });

  it('equalBytes, concat, i2osp', () => {
    const a = randomBytes(32);
    expect(equalBytes(a, a.slice())).toBe(true);
    const b = a.slice();
    b[31]! ^= 1;
    expect(equalBytes(a, b)).toBe(false);
    expect(equalBytes(a, a.subarray(0, 31))).toBe(false);
    expect(concat(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(toHex(i2osp(256, 2))).toBe('0100');
    expect(toHex(i2osp(2 ** 40 + 5, 8))).toBe('0000010000000005');
    expect(() => i2osp(256, 1)).toThrow();
    expect(() => i2osp(-1, 4)).toThrow();
  });

  it('lengthPrefixed never encodes two different field lists the same', () => {
    expect(equalBytes(lengthPrefixed('ab', 'c'), lengthPrefixed('a', 'bc'))).toBe(false);
    expect(equalBytes(lengthPrefixed('a', ''), lengthPrefixed('a'))).toBe(false);
    expect(toHex(lengthPrefixed('ab', Uint8Array.of(9)))).toBe('000000026162' + '0000000109');
  });

  it('randomBytes fills buffers larger than one getRandomValues call', () => {
    const big = randomBytes(70_000);
    expect(big.length).toBe(70_000);
    expect(big.subarray(66_000).some((x) => x !== 0)).toBe(true);
    expect(equalBytes(randomBytes(32), randomBytes(32))).toBe(false);
  });
});

describe('canonical JSON', () => {
  it('sorts keys recursively, no whitespace, independent of insertion order', () => {
    const a = { b: [3, { z: 1, a: null }], a: 'x', c: { y: true, x: false } };
    const b = { c: { x: false, y: true }, a: 'x', b: [3, { a: null, z: 1 }] };
    expect(canonicalJson(a)).toBe('{"a":"x","b":[3,{"a":null,"z":1}],"c":{"x":false,"y":true}}');
    expect(canonicalJsonBytes(a)).toEqual(canonicalJsonBytes(b));
    expect(JSON.parse(canonicalJson(a))).toEqual(a);
  });

  it('orders keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const obj = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Compare the text: JSON.parse would move the integer-like key "1" first again.
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const expected = `{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k as keyof typeof obj])}`).join(',')}}`;
    expect(canonicalJson(obj)).toBe(expected);
    expect(expected.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(true);
  });

  it('serialises numbers and strings as ECMAScript does (RFC 8785 §3.2.2)', () => {
    expect(canonicalJson([-0, 1e21, 1e-7, 0.1, 333333333.3333333, 'a"\\\n\u001f'])).toBe(
      '[0,1e+21,1e-7,0.1,333333333.3333333,"a\\"\\\\\\n\\u001f"]',
    );
  });

  it('refuses values with no single JSON meaning', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    // eslint-disable-next-line no-sparse-arrays
    const bad: unknown[] = [NaN, Infinity, undefined, { a: undefined }, new Date(0), new Map(), () => 1, 1n, '\ud800', [1, , 2], cyclic, Symbol('s')];
    for (const v of bad) expect(() => canonicalJson(v)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });
});
