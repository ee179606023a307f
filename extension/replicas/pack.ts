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

const packBytes = (pack: readonly CanonicalRow[]) => pack.reduce((n, r) => n + r.bytes.length + 1, 0);

/**
 * Packs for `rows` that keep the layout uploaded last (`previous`: each pack's row digests), so a bulk
 * import does not reshuffle every pack: record ids are random, so new rows land between old ones in the
 * vault's order and would touch nearly every content-defined pack. A previous pack whose rows are all
 * still here is kept as it is (same rows, same order → same bytes and CIDs, nothing to upload); the rows
 * no kept pack holds — new ones, and those of packs that lost a row — are packed by the content rule and
 * appended. Small packs at the end (left by earlier small changes) are opened again and repacked with
 * them, so the tail stays compact. Merging never depends on the layout: manifests merge by row digest.
 */
export function packWithLayout<T extends CanonicalRow>(rows: readonly T[], previous: ReadonlyArray<readonly string[]>): T[][] {
  const byDigest = new Map(rows.map((row) => [row.digest, row]));
  const kept: T[][] = [];
  const used = new Set<string>();
  for (const digests of previous) {
    const pack = digests.map((d) => byDigest.get(d));
    if (pack.length === 0 || pack.some((row) => !row) || digests.some((d) => used.has(d))) continue;
    kept.push(pack as T[]);
    for (const d of digests) used.add(d);
  }
  while (kept.length && packBytes(kept[kept.length - 1]!) < PACK_TARGET_BYTES / 4) {
    for (const row of kept.pop()!) used.delete(row.digest);
  }
  return [...kept, ...packRows(rows.filter((row) => !used.has(row.digest)))];
}
