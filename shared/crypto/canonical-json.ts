// Deterministic JSON (the RFC 8785 / JCS rules for the values we store): object keys sorted by UTF-16
// code units, no whitespace, numbers and strings serialised exactly as ECMAScript JSON.stringify does.
// Same record -> same bytes, so ciphertext size and de-dup keys do not depend on key order.
import { utf8 } from './bytes.js';
import { CryptoError } from './errors.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 128; // FHIR resources nest a few levels; this only stops cycles and runaway input.
const ANY_SURROGATE = /[\uD800-\uDFFF]/; // cheap pre-check: most strings have no surrogates at all
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function str(s: string): string {
  // RFC 8785 requires valid Unicode; JSON.stringify would escape a lone surrogate instead.
  if (ANY_SURROGATE.test(s) && LONE_SURROGATE.test(s)) {
    throw new CryptoError('invalid-input', 'canonical JSON: lone surrogate in string');
  }
  return JSON.stringify(s);
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new CryptoError('invalid-input', 'canonical JSON: nesting too deep (or a cycle)');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CryptoError('invalid-input', 'canonical JSON: non-finite number');
      return JSON.stringify(value); // ES number-to-string is exactly the RFC 8785 number form
    case 'string':
      return str(value);
    case 'object': {
      // Array.from turns holes into undefined, which is then refused.
      if (Array.isArray(value)) return `[${Array.from(value, (v) => write(v, depth + 1)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      // Dates, Maps, typed arrays... have no single JSON meaning: refuse rather than guess.
      if (proto !== Object.prototype && proto !== null) {
        throw new CryptoError('invalid-input', 'canonical JSON: only plain objects are allowed');
      }
      const obj = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 specifies.
      const keys = Object.keys(obj).sort();
      const members = keys.map((k) => {
        if (obj[k] === undefined) throw new CryptoError('invalid-input', `canonical JSON: undefined at key ${k}`);
        return `${str(k)}:${write(obj[k], depth + 1)}`;
      });
      return `{${members.join(',')}}`;
    }
    default:
      throw new CryptoError('invalid-input', `canonical JSON: ${typeof value} is not a JSON value`);
  }
}

export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

export function canonicalJsonBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return utf8(canonicalJson(value));
}
