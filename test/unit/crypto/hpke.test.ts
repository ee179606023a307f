import { describe, expect, it } from 'vitest';
import {
  Aes256Gcm,
  CipherSuite,
  DhkemX25519HkdfSha256,
  HkdfSha256,
} from '@hpke/core';
import { AES_128_GCM, AES_256_GCM } from '../../../shared/crypto/aead.js';
import { fromHex, randomBytes, toHex, utf8 } from '../../../shared/crypto/bytes.js';
import { CryptoError } from '../../../shared/crypto/errors.js';
import {
  decap,
  deriveKeyPair,
  encap,
  generateKeyPair,
  keySchedule,
  openBase,
  sealBase,
  setupBaseR,
  setupBaseS,
} from '../../../shared/crypto/hpke.js';
import { loadRfc9180A1 } from './rfc9180-vectors.js';

const v = loadRfc9180A1();
const s = v.setup;
const h = (name: string) => fromHex(s[name]!);

describe('RFC 9180 Appendix A.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base)', () => {
  it('fixture is the base-mode X25519 / HKDF-SHA256 / AES-128-GCM suite with all fields present', () => {
    expect([s.mode, s.kem_id, s.kdf_id, s.aead_id]).toEqual(['0', '32', '1', '1']);
    expect(v.encryptions.map((e) => Number(e['sequence number']))).toEqual([0, 1, 2, 4, 255, 256]);
    expect(v.exports).toHaveLength(3);
  });

  it('DeriveKeyPair reproduces skEm/pkEm and skRm/pkRm', () => {
    const e = deriveKeyPair(h('ikmE'));
    expect(toHex(e.sk)).toBe(s.skEm);
    expect(toHex(e.pk)).toBe(s.pkEm);
    const r = deriveKeyPair(h('ikmR'));
    expect(toHex(r.sk)).toBe(s.skRm);
    expect(toHex(r.pk)).toBe(s.pkRm);
  });

  it('Encap/Decap reproduce enc and shared_secret', () => {
    const { enc, sharedSecret } = encap(h('pkRm'), h('ikmE'));
    expect(toHex(enc)).toBe(s.enc);
    expect(toHex(sharedSecret)).toBe(s.shared_secret);
    expect(toHex(decap(h('enc'), h('skRm')))).toBe(s.shared_secret);
  });

  it('KeySchedule reproduces key_schedule_context, secret, key, base_nonce, exporter_secret', () => {
    const ks = keySchedule(AES_128_GCM, h('shared_secret'), h('info'));
    expect(toHex(ks.keyScheduleContext)).toBe(s.key_schedule_context);
    expect(toHex(ks.secret)).toBe(s.secret);
    expect(toHex(ks.key)).toBe(s.key);
    expect(toHex(ks.baseNonce)).toBe(s.base_nonce);
    expect(toHex(ks.exporterSecret)).toBe(s.exporter_secret);
  });

  it('the sender context seals the listed encryptions at their sequence numbers', async () => {
    const { enc, ctx } = setupBaseS(h('pkRm'), h('info'), { aead: AES_128_GCM, ikmE: h('ikmE') });
    expect(toHex(enc)).toBe(s.enc);
    const bySeq = new Map(v.encryptions.map((e) => [Number(e['sequence number']), e]));
    const last = Math.max(...bySeq.keys());
    for (let seq = 0; seq <= last; seq++) {
      const e = bySeq.get(seq);
      // Unlisted sequence numbers still consume a nonce: seal something to advance the context.
      const ct = await ctx.seal(e ? fromHex(e.aad!) : utf8(`Count-${seq}`), e ? fromHex(e.pt!) : new Uint8Array(1));
      if (e) expect(toHex(ct), `seq ${seq}`).toBe(e.ct);
    }
    expect(ctx.seq).toBe(last + 1);
  });

  it('the listed nonces are base_nonce XOR seq', () => {
    const base = h('base_nonce');
    for (const e of v.encryptions) {
      const seq = Number(e['sequence number']);
      const nonce = base.slice();
      nonce[10]! ^= (seq >> 8) & 0xff;
      nonce[11]! ^= seq & 0xff;
      expect(toHex(nonce)).toBe(e.nonce);
    }
  });

  it('the receiver context opens the listed encryptions in order', async () => {
    const ctx = setupBaseR(h('enc'), h('skRm'), h('info'), { aead: AES_128_GCM });
    const bySeq = new Map(v.encryptions.map((e) => [Number(e['sequence number']), e]));
    const sender = setupBaseS(h('pkRm'), h('info'), { aead: AES_128_GCM, ikmE: h('ikmE') }).ctx;
    const last = Math.max(...bySeq.keys());
    for (let seq = 0; seq <= last; seq++) {
      const e = bySeq.get(seq);
      if (e) {
        expect(toHex(await ctx.open(fromHex(e.aad!), fromHex(e.ct!)))).toBe(e.pt);
        await sender.seal(fromHex(e.aad!), fromHex(e.pt!)); // keep the filler sender in step
      } else {
        const aad = utf8(`filler-${seq}`);
        await ctx.open(aad, await sender.seal(aad, new Uint8Array(1)));
      }
    }
  });

  it('exports reproduce the listed exported values on both sides', () => {
    const sender = setupBaseS(h('pkRm'), h('info'), { aead: AES_128_GCM, ikmE: h('ikmE') }).ctx;
    const receiver = setupBaseR(h('enc'), h('skRm'), h('info'), { aead: AES_128_GCM });
    for (const e of v.exports) {
      const exporterContext = fromHex(e.exporter_context!);
      const L = Number(e.L);
      expect(toHex(sender.export(exporterContext, L))).toBe(e.exported_value);
      expect(toHex(receiver.export(exporterContext, L))).toBe(e.exported_value);
    }
  });

  it('opening out of order fails and does not advance the sequence', async () => {
    const ctx = setupBaseR(h('enc'), h('skRm'), h('info'), { aead: AES_128_GCM });
    const e1 = v.encryptions.find((e) => e['sequence number'] === '1')!;
    const e0 = v.encryptions.find((e) => e['sequence number'] === '0')!;
    await expect(ctx.open(fromHex(e1.aad!), fromHex(e1.ct!))).rejects.toMatchObject({ code: 'integrity' });
    expect(ctx.seq).toBe(0);
    expect(toHex(await ctx.open(fromHex(e0.aad!), fromHex(e0.ct!)))).toBe(e0.pt);
  });
});

describe('HPKE behaviour (AES-256-GCM)', () => {
  const info = utf8('SecureMed test info');

  it('round-trips single-shot and rejects a flipped bit, wrong AAD, wrong key, wrong info', async () => {
    const r = generateKeyPair();
    const pt = utf8('a data-encryption key, 32 bytes!');
    const { enc, ct } = await sealBase(r.pk, info, utf8('aad'), pt);
    expect(await openBase(enc, r.sk, info, utf8('aad'), ct)).toEqual(pt);
    const flipped = ct.slice();
    flipped[0]! ^= 1;
    await expect(openBase(enc, r.sk, info, utf8('aad'), flipped)).rejects.toMatchObject({ code: 'integrity' });
    await expect(openBase(enc, r.sk, info, utf8('aaD'), ct)).rejects.toBeInstanceOf(CryptoError);
    await expect(openBase(enc, generateKeyPair().sk, info, utf8('aad'), ct)).rejects.toMatchObject({
      code: 'integrity',
    });
    await expect(openBase(enc, r.sk, utf8('other info'), utf8('aad'), ct)).rejects.toMatchObject({
      code: 'integrity',
    });
  });

  it('concurrent un-awaited seals get distinct sequence numbers', async () => {
    const r = generateKeyPair();
    const { enc, ctx } = setupBaseS(r.pk, info);
    const aad = new Uint8Array(0);
    const cts = await Promise.all([1, 2, 3].map((i) => ctx.seal(aad, Uint8Array.of(i))));
    const rx = setupBaseR(enc, r.sk, info);
    for (const [i, ct] of cts.entries()) expect(await rx.open(aad, ct)).toEqual(Uint8Array.of(i + 1));
  });

  it('rejects low-order and wrongly sized public keys', () => {
    expect(() => setupBaseS(new Uint8Array(32), info)).toThrow(expect.objectContaining({ code: 'invalid-key' }));
    expect(() => setupBaseS(new Uint8Array(31), info)).toThrow(expect.objectContaining({ code: 'invalid-key' }));
    expect(() => setupBaseR(new Uint8Array(32), generateKeyPair().sk, info)).toThrow(
      expect.objectContaining({ code: 'invalid-key' }),
    );
  });
});

describe('interoperability with @hpke/core (AES-256-GCM)', () => {
  const suite = new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  });
  const info = utf8('SecureMed interop');
  const aads = [utf8('rec-1'), utf8('rec-2'), utf8('rec-3')];
  const pts = aads.map(() => randomBytes(32));

  it('DeriveKeyPair gives the same public key', async () => {
    const ikm = randomBytes(32);
    const theirs = await suite.kem.deriveKeyPair(ikm);
    const theirPk = new Uint8Array(await suite.kem.serializePublicKey(theirs.publicKey));
    expect(toHex(deriveKeyPair(ikm).pk)).toBe(toHex(theirPk));
  });

  it('our sender -> their recipient (one context, three messages, and exports)', async () => {
    const ikmR = randomBytes(32);
    const ours = deriveKeyPair(ikmR);
    const { enc, ctx } = setupBaseS(ours.pk, info, { aead: AES_256_GCM });
    const cts: Uint8Array[] = [];
    for (const [i, pt] of pts.entries()) cts.push(await ctx.seal(aads[i]!, pt));

    const recipient = await suite.createRecipientContext({
      recipientKey: await suite.kem.deriveKeyPair(ikmR),
      enc,
      info,
    });
    for (const [i, ct] of cts.entries()) {
      expect(new Uint8Array(await recipient.open(ct, aads[i]))).toEqual(pts[i]);
    }
    const expCtx = utf8('exporter');
    expect(new Uint8Array(await recipient.export(expCtx, 32))).toEqual(ctx.export(expCtx, 32));
  });

  it('their sender -> our recipient (one context, three messages, and exports)', async () => {
    const ours = generateKeyPair();
    const sender = await suite.createSenderContext({
      recipientPublicKey: await suite.kem.deserializePublicKey(ours.pk),
      info,
    });
    const cts: Uint8Array[] = [];
    for (const [i, pt] of pts.entries()) cts.push(new Uint8Array(await sender.seal(pt, aads[i])));

    const ctx = setupBaseR(new Uint8Array(sender.enc), ours.sk, info, { aead: AES_256_GCM });
    for (const [i, ct] of cts.entries()) expect(await ctx.open(aads[i]!, ct)).toEqual(pts[i]);
    const expCtx = utf8('exporter');
    expect(ctx.export(expCtx, 32)).toEqual(new Uint8Array(await sender.export(expCtx, 32)));
  });

  it('deterministic ephemeral key: same enc and ciphertext as @hpke/core with the same ekm', async () => {
    const r = generateKeyPair();
    const ikmE = randomBytes(32);
    const ours = setupBaseS(r.pk, info, { ikmE });
    const theirs = await suite.createSenderContext({
      recipientPublicKey: await suite.kem.deserializePublicKey(r.pk),
      info,
      ekm: ikmE,
    });
    expect(toHex(ours.enc)).toBe(toHex(new Uint8Array(theirs.enc)));
    const ct = await ours.ctx.seal(aads[0]!, pts[0]!);
    expect(toHex(ct)).toBe(toHex(new Uint8Array(await theirs.seal(pts[0]!, aads[0]))));
  });
});
