/**
 * The bytes of each member of a pack's plaintext, a canonical JSON array (`[row,row,…]`, format.ts
 * packPlaintext), found by scanning for the commas between members — so a restore hashes each row's own
 * bytes instead of encoding every parsed row to canonical JSON again. UTF-8 never puts an ASCII byte
 * inside a multi-byte character, so a byte scan that tracks strings, escapes and nesting is exact.
 * Anything that is not an array of members gives a count that cannot match the manifest (the caller
 * compares digests), never a wrong row.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

export function arrayMemberSlices(json: Uint8Array): Uint8Array[] {
  if (json.length < 2 || json[0] !== 0x5b || json[json.length - 1] !== 0x5d) throw new TypeError('not a JSON array');
  const members: Uint8Array[] = [];
  let depth = 0;
  let inString = false;
  let start = 1;
  for (let i = 1; i < json.length - 1; i++) {
    const byte = json[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPEN.has(byte)) depth++;
    else if (CLOSE.has(byte)) depth--;
    else if (byte === COMMA && depth === 0) {
      members.push(json.subarray(start, i));
      start = i + 1;
    }
  }
  if (inString || depth !== 0) throw new TypeError('not a JSON array');
  if (json.length > 2) members.push(json.subarray(start, json.length - 1));
  return members;
}
