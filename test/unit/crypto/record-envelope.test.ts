import { describe, expect, it } from 'vitest';
import { equalBytes, randomBytes, toHex } from '../../../shared/crypto/bytes.js';
import { CryptoError } from '../../../shared/crypto/errors.js';
import { generateKeyPair } from '../../../shared/crypto/hpke.js';
import { shareDeks, unwrapDek, unwrapDekBatch, unwrapSharedDeks, wrapDek, wrapDekBatch } from '../../../shared/crypto/key-wrap.js';
import { decryptRecord, encryptRecord, recordAad, type RecordEnvelope, type RecordRef } from '../../../shared/crypto/record-envelope.js';

const ref: RecordRef = { recordId: 'obs-1', patient: '0x' + 'ab'.repeat(20), version: 3 };
const observation = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'Hemoglobin A1c' },
  valueQuantity: { value: 6.1, unit: '%' },
  subject: { reference: 'Patient/p1' },
};

function flipBit(b: Uint8Array, i: number): Uint8Array {
  const out = b.slice();
  out[i]! ^= 0x01;
  return out;
}

async function expectCode(p: Promise<unknown>, code: string) {
  await expect(p).rejects.toBeInstanceOf(CryptoError);
  await expect(p).rejects.toMatchObject({ code });
}

describe('record envelope', () => {
  it('round-trips a record and binds the content hash to SHA-256 of the ciphertext', async () => {
    const { envelope, dek } = await encryptRecord(ref, observation);
    expect(dek.length).toBe(32);
    expect(envelope).toMatchObject({ v: 1, ...ref });
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', envelope.ciphertext as Uint8Array<ArrayBuffer>));
    expect(envelope.contentHash).toBe(`0x${toHex(digest)}`);
    expect(await decryptRecord(envelope, dek, { expectedContentHash: envelope.contentHash.toUpperCase().replace('0X', '0x') })).toEqual(observation);
  });

  it('uses a fresh DEK and nonce each time; key order does not change the plaintext length', async () => {
    const a = await encryptRecord(ref, observation);
    const reordered = Object.fromEntries(Object.entries(observation).reverse());
    const b = await encryptRecord(ref, reordered);
    expect(equalBytes(a.dek, b.dek)).toBe(false);
    expect(equalBytes(a.envelope.ciphertext.subarray(0, 12), b.envelope.ciphertext.subarray(0, 12))).toBe(false);
    expect(a.envelope.ciphertext.length).toBe(b.envelope.ciphertext.length);
    expect(await decryptRecord(b.envelope, b.dek)).toEqual(observation);
  });

  it('flipping any ciphertext bit is detected (hash first, then the tag)', async () => {
    const { envelope, dek } = await encryptRecord(ref, observation);
    for (const i of [0, 11, 12, envelope.ciphertext.length - 1]) {
      const ciphertext = flipBit(envelope.ciphertext, i);
      await expectCode(decryptRecord({ ...envelope, ciphertext }, dek), 'hash-mismatch');
      // An attacker who also rewrites the stored hash still hits the AES-GCM tag.
      const rehashed: RecordEnvelope = { ...envelope, ciphertext, contentHash: (await encryptRecordHash(ciphertext)) };
      await expectCode(decryptRecord(rehashed, dek), 'integrity');
    }
  });

  it('a content hash other than the expected (anchored) one is refused', async () => {
    const { envelope, dek } = await encryptRecord(ref, observation);
    await expectCode(decryptRecord(envelope, dek, { expectedContentHash: `0x${'00'.repeat(32)}` }), 'hash-mismatch');
    await expectCode(decryptRecord({ ...envelope, contentHash: `0x${'11'.repeat(32)}` }, dek), 'hash-mismatch');
  });

  it('a wrong DEK fails', async () => {
    const { envelope } = await encryptRecord(ref, observation);
    await expectCode(decryptRecord(envelope, randomBytes(32)), 'integrity');
    await expectCode(decryptRecord(envelope, randomBytes(16)), 'invalid-key');
  });

  it('AAD binds record id, patient and version', async () => {
    const { envelope, dek } = await encryptRecord(ref, observation);
    for (const change of [
      { recordId: 'obs-2' },
      { patient: '0x' + 'ac'.repeat(20) },
      { patient: ref.patient.toUpperCase() },
      { version: 4 },
      { version: 2 },
    ]) {
      await expectCode(decryptRecord({ ...envelope, ...change }, dek), 'integrity');
    }
    expect(equalBytes(recordAad({ ...ref, recordId: 'ab', patient: 'c' }), recordAad({ ...ref, recordId: 'a', patient: 'bc' }))).toBe(false);
    expect(() => recordAad({ ...ref, version: -1 })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => recordAad({ ...ref, recordId: '' })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });

  it('refuses non-JSON record values and unknown envelope versions', async () => {
    await expectCode(encryptRecord(ref, { when: new Date() }), 'invalid-input');
    const { envelope, dek } = await encryptRecord(ref, observation);
    await expectCode(decryptRecord({ ...envelope, v: 2 } as unknown as RecordEnvelope, dek), 'unsupported');
  });
});

async function encryptRecordHash(ciphertext: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', ciphertext as Uint8Array<ArrayBuffer>));
  return `0x${toHex(d)}`;
}

describe('DEK wrap under the vault key (patient copy)', () => {
  it('round-trips and is bound to the record id and the vault key', async () => {
    const vaultKey = randomBytes(32);
    const { envelope, dek } = await encryptRecord(ref, observation);
    const wrapped = await wrapDek(vaultKey, ref.recordId, dek);
    expect(wrapped.length).toBe(12 + 32 + 16);
    const unwrapped = await unwrapDek(vaultKey, ref.recordId, wrapped);
    expect(await decryptRecord(envelope, unwrapped)).toEqual(observation);
    await expectCode(unwrapDek(vaultKey, 'obs-2', wrapped), 'integrity');
    await expectCode(unwrapDek(randomBytes(32), ref.recordId, wrapped), 'integrity');
    await expectCode(unwrapDek(vaultKey, ref.recordId, flipBit(wrapped, 20)), 'integrity');
  });

  it('accepts a non-extractable CryptoKey as the vault key', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const dek = randomBytes(32);
    expect(await unwrapDek(key, 'r', await wrapDek(key, 'r', dek))).toEqual(dek);
  });
});

describe('sharing N records with one HPKE encapsulation', () => {
  const records = Array.from({ length: 5 }, (_, i) => ({ ...ref, recordId: `rec-${i}` }));

  async function setup() {
    const grantee = generateKeyPair();
    const encrypted = await Promise.all(records.map((r, i) => encryptRecord(r, { ...observation, id: String(i) })));
    const items = encrypted.map((e) => ({ recordId: e.envelope.recordId, dek: e.dek }));
    const share = await shareDeks(grantee.pk, items, { context: 'patient->grantee' });
    return { grantee, encrypted, share };
  }

  it('one enc for the batch; the grantee recovers every DEK and decrypts every record', async () => {
    const { grantee, encrypted, share } = await setup();
    expect(share.enc.length).toBe(32);
    expect(share.wrapped).toHaveLength(records.length);
    for (const w of share.wrapped) expect(w.length).toBe(32 + 16); // no per-record encapsulation inside
    const deks = await unwrapSharedDeks(
      share.enc,
      grantee.sk,
      records.map((r, i) => ({ recordId: r.recordId, wrapped: share.wrapped[i]! })),
      { context: 'patient->grantee' },
    );
    for (const [i, e] of encrypted.entries()) {
      expect(deks[i]).toEqual(e.dek);
      expect(await decryptRecord(e.envelope, deks[i]!)).toEqual({ ...observation, id: String(i) });
    }
  });

  it('refuses a wrong grantee key, context, order, record id or modified wrap', async () => {
    const { grantee, share } = await setup();
    const items = records.map((r, i) => ({ recordId: r.recordId, wrapped: share.wrapped[i]! }));
    const ctx = { context: 'patient->grantee' };
    await expectCode(unwrapSharedDeks(share.enc, generateKeyPair().sk, items, ctx), 'integrity');
    await expectCode(unwrapSharedDeks(share.enc, grantee.sk, items, { context: 'patient->other' }), 'integrity');
    await expectCode(unwrapSharedDeks(share.enc, grantee.sk, [items[1]!, items[0]!], ctx), 'integrity');
    await expectCode(unwrapSharedDeks(share.enc, grantee.sk, [{ ...items[0]!, recordId: 'rec-9' }], ctx), 'integrity');
    await expectCode(unwrapSharedDeks(share.enc, grantee.sk, [{ ...items[0]!, wrapped: flipBit(items[0]!.wrapped, 3) }], ctx), 'integrity');
  });

  it('two shares of the same DEKs use different encapsulations', async () => {
    const grantee = generateKeyPair();
    const items = [{ recordId: 'a', dek: randomBytes(32) }];
    const s1 = await shareDeks(grantee.pk, items);
    const s2 = await shareDeks(grantee.pk, items);
    expect(equalBytes(s1.enc, s2.enc)).toBe(false);
    expect(equalBytes(s1.wrapped[0]!, s2.wrapped[0]!)).toBe(false);
  });
});

describe('key batch (DEKs of one import chunk under the vault key)', () => {
  const vaultKey = randomBytes(32);
  const items = [0, 1, 2].map((i) => ({ recordId: `rec-${i}`, version: 1 }));
  const deks = randomBytes(96);

  it('round-trips and binds the batch id, the order, the ids and the versions', async () => {
    const wrapped = await wrapDekBatch(vaultKey, 'batch-1', items, deks);
    expect(wrapped.length).toBe(12 + 96 + 16);
    expect(equalBytes(await unwrapDekBatch(vaultKey, 'batch-1', items, wrapped), deks)).toBe(true);
    const swapped = [items[1]!, items[0]!, items[2]!];
    for (const [id, list] of [
      ['batch-2', items],
      ['batch-1', swapped],
      ['batch-1', items.slice(0, 2)],
      ['batch-1', [...items, { recordId: 'rec-3', version: 1 }]],
      ['batch-1', items.map((i, k) => (k === 2 ? { ...i, version: 2 } : i))],
      ['batch-1', items.map((i, k) => (k === 2 ? { ...i, recordId: 'rec-9' } : i))],
    ] as const) {
      await expectCode(unwrapDekBatch(vaultKey, id, list, wrapped), 'integrity');
    }
    await expectCode(unwrapDekBatch(randomBytes(32), 'batch-1', items, wrapped), 'integrity');
    await expectCode(unwrapDekBatch(vaultKey, 'batch-1', items, flipBit(wrapped, 40)), 'integrity');
  });

  it('refuses a DEK count that does not match the list, and empty batches', async () => {
    await expectCode(wrapDekBatch(vaultKey, 'b', items, deks.subarray(0, 64)), 'invalid-key');
    await expectCode(wrapDekBatch(vaultKey, 'b', [], new Uint8Array(0)), 'invalid-input');
  });
});
