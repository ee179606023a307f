import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, lengthPrefixed, toHex } from '../../../shared/crypto/bytes';
import { deriveMessagingStorageKeys, deriveVaultKeys } from '../../../shared/crypto/identity';
import { keyBatchAad, unwrapDek, unwrapDekBatch, vaultWrapAad, wrapDek, wrapDekBatch } from '../../../shared/crypto/key-wrap';
import { contentHash, decryptRecord, encryptRecord, recordAad, sealRecordChunk } from '../../../shared/crypto/record-envelope';
import { openBytes, openJson, sealBytes, sealedAad, sealJson } from '../../../shared/crypto/sealed-json';

// Frozen formats (test/fixtures/vectors/README.md): every stored or anchored byte layout recomputed from
// fixed inputs (keys, nonces, DEKs injected) and compared with bytes an independent implementation
// (node:crypto, generate.mjs) produced. A failure here means a stored format changed: old vaults, backups,
// anchors and shares would stop opening. Change a format only with a new version label and a new vector.
const dir = join(__dirname, '../../fixtures/vectors');
const load = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
const hex = (b: Uint8Array) => toHex(b);

describe('format vectors', () => {
  it('record envelope: AAD, ciphertext, content hash; and it opens', async () => {
    type Case = { recordId: string; patient: string; version: number; value: unknown; dek: string; nonce: string; expected: { aad: string; plaintext: string; ciphertext: string; contentHash: string } };
    const { cases } = load<{ cases: Case[] }>('record-envelope.json');
    expect(cases.length).toBeGreaterThan(1);
    for (const c of cases) {
      const ref = { recordId: c.recordId, patient: c.patient, version: c.version };
      expect(hex(recordAad(ref))).toBe(c.expected.aad);
      const { envelope } = await encryptRecord(ref, c.value, { dek: fromHex(c.dek), nonce: fromHex(c.nonce) });
      expect(hex(envelope.ciphertext)).toBe(c.expected.ciphertext);
      expect(envelope.contentHash).toBe(c.expected.contentHash);
      const stored = { v: 1 as const, ...ref, ciphertext: fromHex(c.expected.ciphertext), contentHash: c.expected.contentHash };
      expect(await decryptRecord(stored, fromHex(c.dek))).toEqual(c.value);
    }
  });

  it('content hash', () => {
    const { cases } = load<{ cases: Array<{ input: string; contentHash: string }> }>('content-hash.json');
    for (const c of cases) expect(contentHash(fromHex(c.input))).toBe(c.contentHash);
  });

  it('per-record DEK wrap under the vault key', async () => {
    const { vaultKey, cases } = load<{ vaultKey: string; cases: Array<{ recordId: string; dek: string; nonce: string; expected: { aad: string; wrapped: string } }> }>('dek-wrap.json');
    for (const c of cases) {
      expect(hex(vaultWrapAad(c.recordId))).toBe(c.expected.aad);
      expect(hex(await wrapDek(fromHex(vaultKey), c.recordId, fromHex(c.dek), { nonce: fromHex(c.nonce) }))).toBe(c.expected.wrapped);
      expect(hex(await unwrapDek(fromHex(vaultKey), c.recordId, fromHex(c.expected.wrapped)))).toBe(c.dek);
    }
  });

  it('key batch', async () => {
    type Case = { batchId: string; items: Array<{ recordId: string; version: number }>; deks: string; nonce: string; expected: { aad: string; wrapped: string } };
    const { vaultKey, cases } = load<{ vaultKey: string; cases: Case[] }>('key-batch.json');
    for (const c of cases) {
      expect(hex(keyBatchAad(c.batchId, c.items))).toBe(c.expected.aad);
      expect(hex(await wrapDekBatch(fromHex(vaultKey), c.batchId, c.items, fromHex(c.deks), { nonce: fromHex(c.nonce) }))).toBe(c.expected.wrapped);
      expect(hex(await unwrapDekBatch(fromHex(vaultKey), c.batchId, c.items, fromHex(c.expected.wrapped)))).toBe(c.deks);
    }
  });

  it("the import's fast path writes exactly the record envelope and key batch formats", async () => {
    type Rec = { id: string; value: unknown; plaintext: string; dek: string; nonce: string; expected: { ciphertext: string; contentHash: string } };
    const v = load<{ vaultKey: string; patient: string; version: number; batchId: string; batchNonce: string; records: Rec[]; expected: { batchWrapped: string } }>('record-chunk.json');
    const deks = fromHex(v.records.map((r) => r.dek).join(''));
    const sealed = await sealRecordChunk(fromHex(v.vaultKey), v.patient, v.version, v.records.map((r) => ({ recordId: r.id, plaintext: fromHex(r.plaintext) })), {
      batchId: v.batchId,
      deks,
      nonces: fromHex(v.records.map((r) => r.nonce).join('')),
      batchNonce: fromHex(v.batchNonce),
    });
    expect(hex(deks)).toBe(v.records.map((r) => r.dek).join('')); // the caller's buffer is not zeroed
    for (const [i, r] of v.records.entries()) {
      expect(sealed.records[i]).toMatchObject({ recordId: r.id, contentHash: r.expected.contentHash });
      expect(hex(sealed.records[i]!.ciphertext)).toBe(r.expected.ciphertext);
      // …and the one-record path gives the same bytes.
      const one = await encryptRecord({ recordId: r.id, patient: v.patient, version: v.version }, r.value, { dek: fromHex(r.dek), nonce: fromHex(r.nonce) });
      expect(hex(one.envelope.ciphertext)).toBe(r.expected.ciphertext);
    }
    expect(sealed.batch).toMatchObject({ batchId: v.batchId, items: v.records.map((r) => ({ recordId: r.id, version: v.version })) });
    expect(hex(sealed.batch.wrapped)).toBe(v.expected.batchWrapped);
  });

  it('sealed JSON / bytes: every AAD label in use', async () => {
    type Case = { name: string; aadFields: string[]; value?: unknown; bytes?: string; nonce: string; expected: { aad: string; plaintext: string; sealed: string } };
    const v = load<{ key: string; cases: Case[]; legacyMessaging: { kind: string; id: string; value: unknown; nonce: string; aad: string; sealed: string } }>('sealed-json.json');
    const key = fromHex(v.key);
    const byLabel: Record<string, (f: string[]) => Uint8Array> = {
      'SecureMed record index v1': ([, purpose, patient]) => sealedAad.vaultJson(purpose!, patient!),
      'SecureMed vault data v1': ([, kind, id, patient]) => sealedAad.vaultData(kind!, id!, patient!),
      'SecureMed messaging v1': ([, kind, id]) => sealedAad.messaging(kind!, id!),
      'SecureMed session v1': () => sealedAad.session(),
    };
    for (const c of v.cases) {
      const aad = byLabel[c.aadFields[0]!]!(c.aadFields);
      expect(hex(aad), c.name).toBe(c.expected.aad);
      expect(hex(lengthPrefixed(...c.aadFields))).toBe(c.expected.aad);
      const nonce = fromHex(c.nonce);
      const sealed = c.bytes !== undefined ? await sealBytes(key, aad, fromHex(c.bytes), { nonce }) : await sealJson(key, aad, c.value, { nonce });
      expect(hex(sealed), c.name).toBe(c.expected.sealed);
      if (c.bytes !== undefined) expect(hex(await openBytes(key, aad, sealed))).toBe(c.bytes);
      else expect(await openJson(key, aad, sealed)).toEqual(c.value);
    }
    expect(Object.keys(byLabel).sort()).toEqual([...new Set(v.cases.map((c) => c.aadFields[0]))].sort());
    const legacy = v.legacyMessaging;
    expect(hex(sealedAad.legacyMessaging(legacy.kind, legacy.id))).toBe(legacy.aad);
    const either = [sealedAad.messaging(legacy.kind, legacy.id), sealedAad.legacyMessaging(legacy.kind, legacy.id)];
    expect(await openJson(key, either, fromHex(legacy.sealed))).toEqual(legacy.value);
  });

  it('seed-derived at-rest keys', () => {
    const v = load<{ seed: string; expected: { vault: Record<string, string>; messaging: Record<string, string> } }>('key-derivation.json');
    const vault = deriveVaultKeys(fromHex(v.seed));
    const messaging = deriveMessagingStorageKeys(fromHex(v.seed));
    expect({ dekWrap: hex(vault.dekWrap), searchIndex: hex(vault.searchIndex), dedup: hex(vault.dedup) }).toEqual(v.expected.vault);
    expect({ atRest: hex(messaging.atRest), index: hex(messaging.index) }).toEqual(v.expected.messaging);
  });
});
