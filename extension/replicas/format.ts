import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { concat, fromUtf8, toHex } from '../../shared/crypto/bytes';
import { canonicalJsonBytes } from '../../shared/crypto/canonical-json';
import type { ReplicaKeys } from '../../shared/crypto/replica-keys';
import { openBytes, sealBytes, sealedAad } from '../../shared/crypto/sealed-json';
import { BackupKindRow } from '../../shared/protocol/ui/records';
import { rawCid } from './cid';
import { rowDigestNative } from './native-hash';
import { measureRestore } from './restore-timing';
import { arrayMemberSlices } from './row-slices';

/**
 * Replica format (README.md "Format"). What goes to the storage nodes is the vault's data in the backup's
 * canonical form — registry rows {kind, data} — sealed again under the replica block key, plus one
 * encrypted manifest the IPNS head names. Nodes see sizes and timing only.
 *
 * v2 (written now): rows are packed many to a block (pack.ts says where a pack ends).
 * - Row digest: HMAC-SHA256(nonce key, canonical JSON row)[0..16], hex. The row's identity: equal rows
 *   have equal digests on every device, so two manifests merge row by row.
 * - Pack: canonical JSON array of its rows, sealBytes(block key, AAD 'SecureMed replica v1' ‖ 'pack'),
 *   nonce = HMAC-SHA256(nonce key, plaintext)[0..12]: the same rows give the same bytes and CIDs, so an
 *   unchanged pack is never uploaded again. The sealed pack is cut into parts of ≤ 1 MiB, one raw block
 *   each (a block size every IPFS node accepts).
 * - Manifest v2: {format, v: 2, createdAt, patient, kinds, kindManifests, packs: [{parts: [cid…], rows:
 *   [digest…]}]} sealed under the block key (AAD … 'manifest'), fresh nonce.
 * v1 (read only, for a restore): one row per block (AAD … 'block', nonce from the row), manifest `rows`.
 * A kind's backup manifest (records: its index) is one block in both versions (AAD … 'block').
 */
export interface ReplicaBlock {
  cid: string;
  bytes: Uint8Array;
}

/** Largest block written: a sealed pack longer than this is cut into parts. */
export const PART_BYTES = 1024 * 1024;

const Cid = z.string().max(80);
const Digest = z.string().regex(/^[0-9a-f]{32}$/);
const ManifestCommon = {
  format: z.literal('securemed-replica'),
  createdAt: z.string().max(40),
  patient: z.string().regex(/^0x[0-9a-f]{40}$/),
  /** Rows per kind, as in the backup header. */
  kinds: z.record(z.string().max(64), z.number().int().min(0)),
  /** Per kind, the CID of the block holding its backup manifest. */
  kindManifests: z.record(z.string().max(64), Cid),
};
export const PackEntry = z.strictObject({ parts: z.array(Cid).min(1).max(64), rows: z.array(Digest).min(1).max(100_000) });
export type PackEntry = z.infer<typeof PackEntry>;

export const ManifestV2 = z.strictObject({ ...ManifestCommon, v: z.literal(2), packs: z.array(PackEntry).max(1_000_000) });
export type ManifestV2 = z.infer<typeof ManifestV2>;
export const ManifestV1 = z.strictObject({ ...ManifestCommon, v: z.literal(1), rows: z.array(Cid).max(10_000_000) });
export const ReplicaManifest = z.discriminatedUnion('v', [ManifestV2, ManifestV1]);
export type ReplicaManifest = z.infer<typeof ReplicaManifest>;

const KindManifestBlock = z.strictObject({ kindManifest: z.string().max(64), blob: z.string() });
const PackRows = z.array(BackupKindRow).min(1).max(100_000);

const deterministicNonce = (keys: ReplicaKeys, plaintext: Uint8Array) => hmac(sha256, keys.nonce, plaintext).subarray(0, 12);

/** A row in canonical form with its digest (what the manifest lists and a merge compares). */
export interface CanonicalRow {
  bytes: Uint8Array;
  digest: string;
}

export function canonicalRow(keys: ReplicaKeys, row: BackupKindRow): CanonicalRow {
  const bytes = canonicalJsonBytes(row);
  return { bytes, digest: rowDigest(keys, bytes) };
}

export function rowDigest(keys: ReplicaKeys, canonicalBytes: Uint8Array): string {
  return toHex(hmac(sha256, keys.nonce, canonicalBytes).subarray(0, 16));
}

const COMMA = Uint8Array.of(0x2c);
/** The canonical JSON of an array is its members' canonical JSON joined by commas in brackets. */
function packPlaintext(rows: readonly CanonicalRow[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x5b)];
  rows.forEach((row, i) => parts.push(...(i ? [COMMA, row.bytes] : [row.bytes])));
  parts.push(Uint8Array.of(0x5d));
  return concat(...parts);
}

/** Seals one pack → its parts (blocks, in order) and its manifest entry. */
export async function sealPack(keys: ReplicaKeys, rows: readonly CanonicalRow[]): Promise<{ entry: PackEntry; parts: ReplicaBlock[] }> {
  const plaintext = packPlaintext(rows);
  const sealed = await sealBytes(keys.block, sealedAad.replica('pack'), plaintext, { nonce: deterministicNonce(keys, plaintext) });
  const parts: ReplicaBlock[] = [];
  for (let at = 0; at < sealed.length; at += PART_BYTES) {
    const bytes = sealed.subarray(at, at + PART_BYTES);
    parts.push({ cid: rawCid(bytes), bytes });
  }
  return { entry: { parts: parts.map((p) => p.cid), rows: rows.map((r) => r.digest) }, parts };
}

/**
 * The parts of one pack (already checked against their CIDs) → its rows. Throws CryptoError('integrity')
 * when it is not ours; TypeError when it does not hold exactly the rows its manifest entry lists.
 */
export async function openPack(keys: ReplicaKeys, entry: PackEntry, parts: readonly Uint8Array[]): Promise<BackupKindRow[]> {
  let t = performance.now();
  const plaintext = await openBytes(keys.block, sealedAad.replica('pack'), concat(...parts));
  measureRestore('open.decrypt', t);
  t = performance.now();
  const rows = PackRows.parse(JSON.parse(fromUtf8(plaintext)));
  measureRestore('open.parse', t);
  t = performance.now();
  // Each row's digest over its own bytes in the pack (canonical JSON, as sealPack wrote them): a pack whose
  // members are not byte for byte the rows its manifest lists fails here, as it did when re-encoded.
  const slices = arrayMemberSlices(plaintext);
  if (slices.length !== rows.length) throw new TypeError('a pack does not hold the rows its manifest lists');
  const digests = await Promise.all(slices.map((bytes) => rowDigestNative(keys.nonce, bytes)));
  measureRestore('open.digest', t);
  if (digests.length !== entry.rows.length || digests.some((d, i) => d !== entry.rows[i])) throw new TypeError('a pack does not hold the rows its manifest lists');
  return rows;
}

async function sealDeterministic(keys: ReplicaKeys, value: unknown): Promise<ReplicaBlock> {
  const plaintext = canonicalJsonBytes(value);
  const bytes = await sealBytes(keys.block, sealedAad.replica('block'), plaintext, { nonce: deterministicNonce(keys, plaintext) });
  return { cid: rawCid(bytes), bytes };
}

/** v1 row block (written by format v1 only; kept to pin and read that format). */
export function sealRowBlock(keys: ReplicaKeys, row: BackupKindRow): Promise<ReplicaBlock> {
  return sealDeterministic(keys, row);
}

export function sealKindManifestBlock(keys: ReplicaKeys, kind: string, blobBase64: string): Promise<ReplicaBlock> {
  return sealDeterministic(keys, { kindManifest: kind, blob: blobBase64 });
}

/** Throws CryptoError('integrity') when the block is not ours (wrong key, changed bytes). */
export async function openRowBlock(keys: ReplicaKeys, bytes: Uint8Array): Promise<BackupKindRow> {
  return BackupKindRow.parse(JSON.parse(fromUtf8(await openBytes(keys.block, sealedAad.replica('block'), bytes))));
}

export async function openKindManifestBlock(keys: ReplicaKeys, bytes: Uint8Array): Promise<{ kind: string; blob: string }> {
  const parsed = KindManifestBlock.parse(JSON.parse(fromUtf8(await openBytes(keys.block, sealedAad.replica('block'), bytes))));
  return { kind: parsed.kindManifest, blob: parsed.blob };
}

export async function sealManifest(keys: ReplicaKeys, manifest: ReplicaManifest): Promise<ReplicaBlock> {
  const bytes = await sealBytes(keys.block, sealedAad.replica('manifest'), canonicalJsonBytes(manifest));
  return { cid: rawCid(bytes), bytes };
}

export async function openManifest(keys: ReplicaKeys, bytes: Uint8Array): Promise<ReplicaManifest> {
  return ReplicaManifest.parse(JSON.parse(fromUtf8(await openBytes(keys.block, sealedAad.replica('manifest'), bytes))));
}

/** Row count of a manifest of either version. */
export const manifestRows = (m: ReplicaManifest): number => (m.v === 2 ? m.packs.reduce((n, p) => n + p.rows.length, 0) : m.rows.length);

/** A short fingerprint of the row set: an unchanged vault is not republished. */
export function rowsFingerprint(rows: readonly string[]): string {
  const mac = sha256(canonicalJsonBytes(rows));
  return Array.from(mac.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}
