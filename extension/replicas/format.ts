import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { fromUtf8 } from '../../shared/crypto/bytes';
import { canonicalJsonBytes } from '../../shared/crypto/canonical-json';
import type { ReplicaKeys } from '../../shared/crypto/replica-keys';
import { openBytes, sealBytes, sealedAad } from '../../shared/crypto/sealed-json';
import { BackupKindRow } from '../../shared/protocol/ui/records';
import { rawCid } from './cid';

/**
 * Replica format v1 (README.md): what goes to the storage nodes is the vault's data in the backup's
 * canonical form — one registry row per block — sealed again under the replica key, plus one encrypted
 * manifest the IPNS head names. Nodes see sizes and timing only: no kind, id, patient or count in clear.
 *
 * - Row block: sealBytes(block key, AAD 'SecureMed replica v1' ‖ 'block', canonical JSON {kind, data}),
 *   nonce = HMAC-SHA256(nonce key, plaintext)[0..12]: the same row always gives the same bytes and CID,
 *   so an unchanged row is never uploaded twice, and two devices holding one row agree on its CID (the
 *   manifests of two devices can merge by row). Equal nonces only ever meet equal plaintexts.
 * - Kind manifest block (records: the index sealed by the records kind): same box, {kindManifest, blob}.
 * - Manifest: sealBytes(block key, AAD … 'manifest', JSON ReplicaManifest) under a fresh nonce.
 */
export interface ReplicaBlock {
  cid: string;
  bytes: Uint8Array;
}

export const ReplicaManifest = z.strictObject({
  format: z.literal('securemed-replica'),
  v: z.literal(1),
  createdAt: z.string().max(40),
  patient: z.string().regex(/^0x[0-9a-f]{40}$/),
  /** Rows per kind, as in the backup header. */
  kinds: z.record(z.string().max(64), z.number().int().min(0)),
  /** Per kind, the CID of the block holding its backup manifest. */
  kindManifests: z.record(z.string().max(64), z.string().max(80)),
  /** Every row block, in registry order. */
  rows: z.array(z.string().max(80)).max(10_000_000),
});
export type ReplicaManifest = z.infer<typeof ReplicaManifest>;

const KindManifestBlock = z.strictObject({ kindManifest: z.string().max(64), blob: z.string() });

async function sealDeterministic(keys: ReplicaKeys, value: unknown): Promise<ReplicaBlock> {
  const plaintext = canonicalJsonBytes(value);
  const nonce = hmac(sha256, keys.nonce, plaintext).subarray(0, 12);
  const bytes = await sealBytes(keys.block, sealedAad.replica('block'), plaintext, { nonce });
  return { cid: rawCid(bytes), bytes };
}

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

/** A short fingerprint of the row set: an unchanged vault is not republished. */
export function rowsFingerprint(rows: readonly string[]): string {
  const mac = sha256(canonicalJsonBytes(rows));
  return Array.from(mac.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}
