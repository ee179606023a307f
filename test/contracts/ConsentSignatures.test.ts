import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { Wallet, TypedDataEncoder } from 'ethers';
import {
  CANCEL_NONCES_TYPES, GRANT_TYPES, REVOKE_TYPES, cancelNoncesTypedData, compactSignature, consentDomain,
  grantTypedData, lowestFreeNonce, noncePosition, revokeTypedData, type GrantMessage,
} from '../../shared/chain/eip712';
import { Scope, scopeMask } from '../../shared/chain/scopes';
import {
  deployStack, ethers, expectEvent, expectRevert, mined, now, randomHash, revertTo, setNextTimestamp, snapshot, travel, type Signer,
} from './helpers';

type Stack = Awaited<ReturnType<typeof deployStack>>;
let s: Stack;
let relayer: Signer, grantee: Signer, other: Signer;
let snap: string;
// Patients are keys derived off-chain and hold no ETH: plain wallets that only sign.
const patient = new Wallet(Wallet.createRandom().privateKey);
const stranger = new Wallet(Wallet.createRandom().privateKey);
const SCOPES = scopeMask(Scope.LABS, Scope.WRITE);

beforeAll(async () => {
  s = await deployStack();
  [, , relayer, grantee, other] = s.signers;
});
beforeEach(async () => {
  snap = await snapshot();
});
afterEach(async () => {
  await revertTo(snap);
});

const domain = () => consentDomain(s.chainId, s.consent.target as string);
const relayed = () => s.consent.connect(relayer);

async function grantMessage(over: Partial<GrantMessage> = {}): Promise<GrantMessage> {
  const t = await now();
  return { patient: patient.address, grantee: grantee.address, scopes: SCOPES, expiresAt: t + 86400n, purpose: randomHash(), epoch: 0, nonce: 0n, deadline: t + 600n, ...over };
}

async function signGrant(m: GrantMessage, signer: Wallet = patient, d = domain()) {
  const td = grantTypedData(d, m);
  return compactSignature(await signer.signTypedData(td.domain, td.types, td.message));
}

function submitGrant(m: GrantMessage, sig: { r: string; vs: string }) {
  return relayed().grantBySig(m.patient, m.grantee, m.scopes, m.expiresAt, m.purpose, m.epoch, m.nonce, m.deadline, sig.r, sig.vs);
}

async function signRevoke(nonce: bigint, deadline: bigint, signer: Wallet = patient, epoch?: number) {
  epoch ??= Number((await s.consent.grantOf(patient.address, grantee.address)).epoch);
  const td = revokeTypedData(domain(), { patient: patient.address, grantee: grantee.address, epoch, nonce, deadline });
  return compactSignature(await signer.signTypedData(td.domain, td.types, td.message));
}

describe('typed data matches the contract', () => {
  it('domain fields come from eip712Domain()', async () => {
    const d = await s.consent.eip712Domain();
    expect([d.name, d.version, d.chainId, d.verifyingContract]).toEqual(['SecureMed Consent', '1', s.chainId, s.consent.target]);
  });

  it('type strings are the documented ones', () => {
    expect(TypedDataEncoder.from(GRANT_TYPES).encodeType('Grant')).toBe(
      'Grant(address patient,address grantee,uint32 scopes,uint64 expiresAt,bytes32 purpose,uint32 epoch,uint256 nonce,uint256 deadline)',
    );
    expect(TypedDataEncoder.from(REVOKE_TYPES).encodeType('Revoke')).toBe('Revoke(address patient,address grantee,uint32 epoch,uint256 nonce,uint256 deadline)');
    expect(TypedDataEncoder.from(CANCEL_NONCES_TYPES).encodeType('CancelNonces')).toBe(
      'CancelNonces(address patient,uint256 wordPos,uint256 mask,uint256 deadline)',
    );
  });
});

describe('grantBySig', () => {
  it('is accepted once, relayed by someone else, and emits Granted', async () => {
    const m = await grantMessage();
    const sig = await signGrant(m);
    const receipt = await mined(submitGrant(m, sig));
    expectEvent(receipt, s.consent, 'Granted', [m.patient, m.grantee, m.scopes, m.expiresAt, m.purpose]);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.WRITE)).toBe(true);
    expect(await s.consent.isNonceUsed(patient.address, 0n)).toBe(true);
    expect(await s.consent.nonceBitmap(patient.address, 0n)).toBe(1n);
  });

  it('is rejected on replay', async () => {
    const m = await grantMessage();
    const sig = await signGrant(m);
    await mined(submitGrant(m, sig));
    await expectRevert(submitGrant(m, sig), s.consent, 'NonceAlreadyUsed', [patient.address, 0n]);
  });

  it('is rejected on replay after a revoke (the nonce outlives the grant)', async () => {
    const m = await grantMessage({ nonce: 7n });
    const sig = await signGrant(m);
    await mined(submitGrant(m, sig));
    const rs = await signRevoke(8n, m.deadline);
    await mined(relayed().revokeBySig(patient.address, grantee.address, 1, 8n, m.deadline, rs.r, rs.vs));
    await expectRevert(submitGrant(m, sig), s.consent, 'NonceAlreadyUsed', [patient.address, 7n]);
  });

  it('is rejected after the deadline (accepted at it)', async () => {
    const m = await grantMessage();
    const sig = await signGrant(m);
    await travel(m.deadline - (await now()) + 1n);
    await expectRevert(submitGrant(m, sig), s.consent, 'SignatureExpired', [m.deadline]);
    const atDeadline = await grantMessage({ nonce: 1n });
    const sig2 = await signGrant(atDeadline);
    await setNextTimestamp(atDeadline.deadline);
    await mined(submitGrant(atDeadline, sig2));
  });

  it('is rejected when signed for another chain id or another contract', async () => {
    const m = await grantMessage();
    for (const d of [consentDomain(s.chainId + 1n, s.consent.target as string), consentDomain(s.chainId, s.anchor.target as string)]) {
      const sig = await signGrant(m, patient, d);
      await expectRevert(submitGrant(m, sig), s.consent, 'InvalidSigner');
    }
  });

  it('is rejected when any field differs from what was signed', async () => {
    const m = await grantMessage();
    const sig = await signGrant(m);
    const changes: Partial<GrantMessage>[] = [
      { patient: stranger.address },
      { grantee: other.address },
      { scopes: scopeMask(SCOPES, Scope.MENTAL_HEALTH) },
      { expiresAt: m.expiresAt + 1n },
      { purpose: randomHash() },
      { epoch: 1 },
      { nonce: 1n },
      { deadline: m.deadline + 1n },
    ];
    for (const change of changes) {
      await expectRevert(submitGrant({ ...m, ...change }, sig), s.consent, 'InvalidSigner');
    }
    await mined(submitGrant(m, sig)); // the untouched message still works
  });

  it('is rejected when signed by anyone but the patient, and for malformed signatures', async () => {
    const m = await grantMessage();
    const bad = await signGrant(m, stranger);
    await expectRevert(submitGrant(m, bad), s.consent, 'InvalidSigner', [stranger.address, patient.address]);
    await expectRevert(submitGrant(m, { r: ethers.ZeroHash, vs: ethers.ZeroHash }), s.consent, 'InvalidSigner', [ethers.ZeroAddress, patient.address]);
    // patient = 0 with a garbage signature must not pass as "recovered zero == patient zero".
    await expectRevert(submitGrant({ ...m, patient: ethers.ZeroAddress }, { r: ethers.ZeroHash, vs: ethers.ZeroHash }), s.consent, 'InvalidSigner');
  });

  it('still validates the grant itself', async () => {
    const m = await grantMessage({ scopes: 0 });
    await expectRevert(submitGrant(m, await signGrant(m)), s.consent, 'InvalidScopes', [0]);
    const self = await grantMessage({ grantee: patient.address });
    await expectRevert(submitGrant(self, await signGrant(self)), s.consent, 'InvalidGrantee');
  });

  it('a withheld earlier signature does not block a later one, and stays usable', async () => {
    const first = await grantMessage({ nonce: 0n, scopes: Scope.LABS });
    const second = await grantMessage({ nonce: 1n, grantee: other.address, scopes: Scope.VITALS });
    const sig1 = await signGrant(first);
    const sig2 = await signGrant(second);
    await mined(submitGrant(second, sig2));
    expect(await s.consent.hasAccess(patient.address, other.address, Scope.VITALS)).toBe(true);
    await mined(submitGrant(first, sig1));
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(true);
  });

  it('a cancelled signature is refused (cancel by signature, relayed)', async () => {
    const m = await grantMessage({ nonce: 300n });
    const sig = await signGrant(m);
    const { wordPos, mask } = noncePosition(300n);
    const td = cancelNoncesTypedData(domain(), { patient: patient.address, wordPos, mask, deadline: m.deadline });
    const c = compactSignature(await patient.signTypedData(td.domain, td.types, td.message));
    const receipt = await mined(relayed().cancelNoncesBySig(patient.address, wordPos, mask, m.deadline, c.r, c.vs));
    expectEvent(receipt, s.consent, 'NoncesCancelled', [patient.address, wordPos, mask]);
    await expectRevert(submitGrant(m, sig), s.consent, 'NonceAlreadyUsed', [patient.address, 300n]);
  });
});

describe('cancelNonces', () => {
  it('the patient cancels directly; a cancelled revoke signature is refused too', async () => {
    const payer = s.signers[9];
    const rs = await signRevokeFor(payer, 5n);
    const receipt = await mined(s.consent.connect(payer).cancelNonces(0n, 1n << 5n));
    expectEvent(receipt, s.consent, 'NoncesCancelled', [payer.address, 0n, 1n << 5n]);
    expect(await s.consent.isNonceUsed(payer.address, 5n)).toBe(true);
    await expectRevert(relayed().revokeBySig(payer.address, grantee.address, 0, 5n, rs.deadline, rs.r, rs.vs), s.consent, 'NonceAlreadyUsed', [payer.address, 5n]);
  });

  it('reverts on an empty mask, and signed cancels check deadline and signer', async () => {
    await expectRevert(s.consent.connect(other).cancelNonces(0n, 0n), s.consent, 'EmptyMask');
    const deadline = (await now()) + 60n;
    const td = cancelNoncesTypedData(domain(), { patient: patient.address, wordPos: 0n, mask: 1n, deadline });
    const byStranger = compactSignature(await stranger.signTypedData(td.domain, td.types, td.message));
    await expectRevert(relayed().cancelNoncesBySig(patient.address, 0n, 1n, deadline, byStranger.r, byStranger.vs), s.consent, 'InvalidSigner');
    const ok = compactSignature(await patient.signTypedData(td.domain, td.types, td.message));
    await expectRevert(relayed().cancelNoncesBySig(patient.address, 0n, 0n, deadline, ok.r, ok.vs), s.consent, 'InvalidSigner');
    await travel(120);
    await expectRevert(relayed().cancelNoncesBySig(patient.address, 0n, 1n, deadline, ok.r, ok.vs), s.consent, 'SignatureExpired', [deadline]);
  });
});

async function signRevokeFor(signer: Signer, nonce: bigint) {
  const deadline = (await now()) + 600n;
  const td = revokeTypedData(domain(), { patient: signer.address, grantee: grantee.address, epoch: 0, nonce, deadline });
  return { ...compactSignature(await signer.signTypedData(td.domain, td.types, td.message)), deadline };
}

describe('revokeBySig', () => {
  it('revokes once, emits Revoked, and is rejected on replay, expiry, wrong signer or nothing to revoke', async () => {
    const m = await grantMessage();
    await mined(submitGrant(m, await signGrant(m)));
    const rs = await signRevoke(1n, m.deadline);
    const receipt = await mined(relayed().revokeBySig(patient.address, grantee.address, 1, 1n, m.deadline, rs.r, rs.vs));
    expectEvent(receipt, s.consent, 'Revoked', [patient.address, grantee.address]);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(false);
    await expectRevert(relayed().revokeBySig(patient.address, grantee.address, 1, 1n, m.deadline, rs.r, rs.vs), s.consent, 'NonceAlreadyUsed');
    const none = await signRevoke(2n, m.deadline);
    await expectRevert(relayed().revokeBySig(patient.address, grantee.address, 2, 2n, m.deadline, none.r, none.vs), s.consent, 'NoGrant', [patient.address, grantee.address]);
    const forged = await signRevoke(3n, m.deadline, stranger);
    await expectRevert(relayed().revokeBySig(patient.address, grantee.address, 2, 3n, m.deadline, forged.r, forged.vs), s.consent, 'InvalidSigner');
    await travel(m.deadline - (await now()) + 1n);
    const late = await signRevoke(4n, m.deadline);
    await expectRevert(relayed().revokeBySig(patient.address, grantee.address, 2, 4n, m.deadline, late.r, late.vs), s.consent, 'SignatureExpired');
  });
});

describe('off-chain nonce helpers agree with the bitmap', () => {
  it('lowestFreeNonce skips used and pending nonces', async () => {
    for (const nonce of [0n, 1n, 3n]) {
      const m = await grantMessage({ nonce, grantee: s.signers[10 + Number(nonce)].address });
      await mined(submitGrant(m, await signGrant(m)));
    }
    const bitmap = await s.consent.nonceBitmap(patient.address, 0n);
    expect(bitmap).toBe(0b1011n);
    expect(lowestFreeNonce(0n, bitmap)).toBe(2n);
    expect(lowestFreeNonce(0n, bitmap, [2n])).toBe(4n);
    expect(lowestFreeNonce(1n, 0n)).toBe(256n);
    expect(lowestFreeNonce(0n, (1n << 256n) - 1n)).toBeUndefined();
  });
});
