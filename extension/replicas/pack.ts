import { fromHex } from '../../shared/crypto/bytes';
import type { CanonicalRow } from './format';

/**
 * Where a pack ends (replica format v2). Rows go in the vault's own order (registry kind order, then
 * each table's primary key), and a pack ends after a row chosen by the row's digest — content-defined,
 * like a chunker's cut points: each byte of a row ends the pack with probability 1/TARGET, so packs are
 * TARGET bytes on average, and a row added, changed or removed moves the cut points of its own pack only
 * (the next cut point is where it was). So a change re-uploads one or two packs, and two devices holding
 * the same rows pack them identically. A pack never grows past MAX bytes (cut before the row that would
 * pass it); a single row larger than that is a pack of its own.
 */
export const PACK_TARGET_BYTES = 256 * 1024;
export const PACK_MAX_BYTES = 768 * 1024;

/** True when the digest says: end the pack after this row (probability size / TARGET). */
function cutAfter(row: CanonicalRow): boolean {
  const d = fromHex(row.digest.slice(0, 8));
  const draw = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
  return draw < (row.bytes.length / PACK_TARGET_BYTES) * 2 ** 32;
}

export function packRows<T extends CanonicalRow>(rows: readonly T[]): T[][] {
  const packs: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (current.length && bytes + row.bytes.length + 1 > PACK_MAX_BYTES) {
      packs.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row.bytes.length + 1;
    if (cutAfter(row)) {
      packs.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) packs.push(current);
  return packs;
}
