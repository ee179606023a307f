import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { concat, toHex, utf8 } from '../../../shared/crypto/bytes';
import { canonicalJsonBytes } from '../../../shared/crypto/canonical-json';
import { deriveReplicaKeys } from '../../../shared/crypto/replica-keys';
import { blockMatches, rawCid } from '../../../extension/replicas/cid';
import { canonicalRow, openPack, sealPack } from '../../../extension/replicas/format';
import { rowDigestNative, sha256Native } from '../../../extension/replicas/native-hash';
import { arrayMemberSlices } from '../../../extension/replicas/row-slices';
import { sealBytes, sealedAad } from '../../../shared/crypto/sealed-json';

// The restore's faster checks (README "Restore"): hashes through WebCrypto and each row's digest over its
// own bytes in the pack. They must give exactly what sealing computed with @noble/hashes, and refuse
// exactly what the older checks refused.
const keys = deriveReplicaKeys(new Uint8Array(64).map((_, i) => i * 3));
const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);

describe('restore hashing', () => {
  it('WebCrypto hashes equal the @noble/hashes values the sealing side uses', async () => {
    for (const bytes of [new Uint8Array(0), utf8('one row'), new Uint8Array(200_000).map((_, i) => i % 251)]) {
      expect(toHex(await sha256Native(bytes))).toBe(toHex(sha256(bytes)));
      expect(await rowDigestNative(keys.nonce, bytes)).toBe(toHex(hmac(sha256, keys.nonce, bytes).subarray(0, 16)));
    }
    expect(await rowDigestNative(keys.nonce, canonicalJsonBytes({ kind: 'records', data: { id: 'r1' } }))).toBe(canonicalRow(keys, { kind: 'records', data: { id: 'r1' } }).digest);
  });

  it('a block matches its CID only byte for byte', async () => {
    const block = utf8('a sealed part');
    expect(await blockMatches(rawCid(block), block)).toBe(true);
    const changed = block.slice();
    changed[0]! ^= 1;
    expect(await blockMatches(rawCid(block), changed)).toBe(false);
    await expect(blockMatches('bafy-not-a-cid', block)).rejects.toThrow(TypeError);
  });

  it('cuts a canonical JSON array into its members, whatever the strings hold', () => {
    const rows = [
      { kind: 'records', data: { id: 'a,b', note: 'quote " and backslash \\ and ] } [ {' } },
      { kind: 'audit', data: { nested: [[1, 2], { x: [] }], text: 'ünïcödé, 💊' } },
      { kind: 'records', data: { id: 'last\\', list: ['', ',', '\\"'] } },
    ];
    const members = rows.map((row) => canonicalJsonBytes(row));
    const array = canonicalJsonBytes(rows);
    expect(array).toEqual(concat(utf8('['), ...members.flatMap((m, i) => (i ? [utf8(','), m] : [m])), utf8(']')));
    expect(arrayMemberSlices(array).map(fromUtf8)).toEqual(members.map(fromUtf8));
    expect(arrayMemberSlices(utf8('[]'))).toEqual([]);
    expect(() => arrayMemberSlices(utf8('{"a":1}'))).toThrow(TypeError);
    expect(() => arrayMemberSlices(utf8('["open]'))).toThrow(TypeError);
  });

  it('a pack whose rows are not in canonical form is refused, though it parses to the listed rows', async () => {
    const rows = [canonicalRow(keys, { kind: 'records', data: { id: 'r1', n: 1 } }), canonicalRow(keys, { kind: 'records', data: { id: 'r2', n: 2 } })];
    const { entry } = await sealPack(keys, rows);
    // Same rows and the same manifest entry, but with a space inside the JSON: its digests differ.
    const loose = utf8(`[${fromUtf8(rows[0]!.bytes)}, ${fromUtf8(rows[1]!.bytes)}]`);
    const sealed = await sealBytes(keys.block, sealedAad.replica('pack'), loose);
    await expect(openPack(keys, entry, [sealed])).rejects.toThrow(TypeError);
  });
});
