// Every signed variant (…BySig) against the same four attacks — replay, another chain, another
// contract, a passed deadline — plus the stale-signature rule of the consent pairs (a revoke or any
// newer change of a (patient, grantee) pair kills every older unsubmitted signature for it).
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { TypedDataEncoder, type TypedDataDomain } from 'ethers';
import {
  ANCHOR_TYPES, EMERGENCY_DELEGATE_TYPES, ENCRYPTION_KEY_TYPES, anchorDomain, anchorTypedData, compactSignature, consentDomain,
  directoryDomain, emergencyDelegateTypedData, encryptionKeyTypedData, grantTypedData, revokeTypedData, type TypedData,
} from '../../shared/chain/eip712';
import { Scope, scopeMask } from '../../shared/chain/scopes';
import {
  deployStack, ethers, expectEvent, expectRevert, mined, now, randomHash, revertTo, setNextTimestamp, snapshot, type Deployed, type Signer,
} from './helpers';

type Stack = Awaited<ReturnType<typeof deployStack>>;
let s: Stack;
let patient: Signer, grantee: Signer, relayer: Signer;
let snap: string;
const DAY = 24n * 3600n;
const BROAD = scopeMask(Scope.LABS, Scope.MEDICATIONS, Scope.MENTAL_HEALTH);
const NARROW = Scope.LABS;

beforeAll(async () => {
  s = await deployStack();
  [, , patient, grantee, relayer] = s.signers;
});
beforeEach(async () => {
  snap = await snapshot();
});
afterEach(async () => {
  await revertTo(snap);
});

const addr = (c: Deployed) => c.target as string;
const epochOf = async (g: string) => Number((await s.consent.grantOf(patient.address, g)).epoch);

async function sign<M extends object>(td: TypedData<M>, signer: Signer = patient) {
  return compactSignature(await signer.signTypedData(td.domain, td.types, td.message as Record<string, unknown>));
}

async function signedGrant(over: { scopes?: number; nonce: bigint; grantee?: string; epoch?: number }) {
  const t = await now();
  const g = over.grantee ?? grantee.address;
  const m = {
    patient: patient.address, grantee: g, scopes: over.scopes ?? BROAD, expiresAt: t + 30n * DAY, purpose: randomHash(),
    epoch: over.epoch ?? (await epochOf(g)), nonce: over.nonce, deadline: t + DAY,
  };
  const sig = await sign(grantTypedData(consentDomain(s.chainId, addr(s.consent)), m));
  const submit = () =>
    s.consent.connect(relayer).grantBySig(m.patient, m.grantee, m.scopes, m.expiresAt, m.purpose, m.epoch, m.nonce, m.deadline, sig.r, sig.vs);
  return { m, submit };
}

describe('stale signatures: a revoke or a newer change of the pair invalidates older unsubmitted ones', () => {
  it('a grant signed before a (direct) revoke, never submitted, reverts when submitted after it', async () => {
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
    const held = await signedGrant({ nonce: 1n }); // e.g. withheld by a relayer or by the grantee
    await mined(s.consent.connect(patient).revoke(grantee.address));
    await expectRevert(held.submit(), s.consent, 'StaleEpoch', [patient.address, grantee.address, 1, 2]);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(false);
  });

  it('a grant signed before a signed revoke is stale too, and so is a revoke signed before a newer grant', async () => {
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
    const held = await signedGrant({ nonce: 1n });
    const t = await now();
    const rv = { patient: patient.address, grantee: grantee.address, epoch: await epochOf(grantee.address), nonce: 2n, deadline: t + DAY };
    const rs = await sign(revokeTypedData(consentDomain(s.chainId, addr(s.consent)), rv));
    const revoke = () => s.consent.connect(relayer).revokeBySig(rv.patient, rv.grantee, rv.epoch, rv.nonce, rv.deadline, rs.r, rs.vs);
    await mined(revoke());
    await expectRevert(held.submit(), s.consent, 'StaleEpoch');
    // A revoke signed at epoch 2, held while the patient grants again: it cannot end the new grant.
    const rv2 = { ...rv, epoch: await epochOf(grantee.address), nonce: 3n };
    const rs2 = await sign(revokeTypedData(consentDomain(s.chainId, addr(s.consent)), rv2));
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
    await expectRevert(
      s.consent.connect(relayer).revokeBySig(rv2.patient, rv2.grantee, rv2.epoch, rv2.nonce, rv2.deadline, rs2.r, rs2.vs),
      s.consent, 'StaleEpoch', [patient.address, grantee.address, 2, 3],
    );
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(true);
  });

  it('a broad grant signed before a narrower grant, never submitted, cannot bring the broad access back', async () => {
    const broad = await signedGrant({ nonce: 0n, scopes: BROAD });
    const narrow = await signedGrant({ nonce: 1n, scopes: NARROW }); // same epoch: whichever lands first wins
    await mined(narrow.submit());
    await expectRevert(broad.submit(), s.consent, 'StaleEpoch', [patient.address, grantee.address, 0, 1]);
    expect(await s.consent.effectiveScopes(patient.address, grantee.address)).toBe(BigInt(NARROW));
    // A direct narrower grant kills a held signature just the same.
    const broad2 = await signedGrant({ nonce: 2n, scopes: BROAD });
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
    await expectRevert(broad2.submit(), s.consent, 'StaleEpoch');
  });

  it('the nonce is spent only when the call succeeds: a stale signature leaves its nonce free', async () => {
    const held = await signedGrant({ nonce: 9n });
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
    await expectRevert(held.submit(), s.consent, 'StaleEpoch');
    expect(await s.consent.isNonceUsed(patient.address, 9n)).toBe(false);
  });

  it('other pairs are untouched, and break-glass (not a patient action) keeps the epoch', async () => {
    const other = s.signers[7];
    const forOther = await signedGrant({ nonce: 0n, grantee: other.address });
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
    await mined(s.consent.connect(patient).setEmergencyDelegate(s.signers[8].address, true));
    const delegate = s.signers[8];
    const before = await epochOf(delegate.address);
    await mined(s.consent.connect(delegate).breakGlass(patient.address, randomHash()));
    expect(await epochOf(delegate.address)).toBe(before);
    await mined(forOther.submit());
  });

  it('revoke leaves a tombstone: the epoch and the delegate flag survive, a second revoke finds nothing', async () => {
    await mined(s.consent.connect(patient).setEmergencyDelegate(grantee.address, true));
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
    await mined(s.consent.connect(patient).revoke(grantee.address));
    const g = await s.consent.grantOf(patient.address, grantee.address);
    expect([g.scopes, g.expiresAt, g.grantedAt, g.emergencyUntil, g.emergencyDelegate, g.epoch]).toEqual([0n, 0n, 0n, 0n, true, 3n]);
    await expectRevert(s.consent.connect(patient).revoke(grantee.address), s.consent, 'NoGrant', [patient.address, grantee.address]);
  });

  it('a held "allow delegate" signature cannot re-add a delegate the patient removed', async () => {
    const delegate = s.signers[8].address;
    const dm = { patient: patient.address, delegate, allowed: true, epoch: await epochOf(delegate), nonce: 4n, deadline: (await now()) + DAY };
    const ds = await sign(emergencyDelegateTypedData(consentDomain(s.chainId, addr(s.consent)), dm));
    const submit = () => s.consent.connect(relayer).setEmergencyDelegateBySig(dm.patient, dm.delegate, dm.allowed, dm.epoch, dm.nonce, dm.deadline, ds.r, ds.vs);
    await mined(s.consent.connect(patient).setEmergencyDelegate(delegate, false));
    await expectRevert(submit(), s.consent, 'StaleEpoch');
    expect(await s.consent.isEmergencyDelegate(patient.address, delegate)).toBe(false);
  });
});

describe('grant duration cap', () => {
  it('accepts exactly MAX_GRANT_DURATION from the block, refuses one second more (direct and signed)', async () => {
    const max = BigInt(await s.consent.MAX_GRANT_DURATION());
    expect(max).toBe(365n * DAY);
    const t = (await now()) + 10n;
    await setNextTimestamp(t);
    await expectRevert(s.consent.connect(patient).grant(grantee.address, NARROW, t + max + 1n, randomHash()), s.consent, 'GrantTooLong', [t + max + 1n, t + max]);
    await setNextTimestamp(t + 1n);
    await mined(s.consent.connect(patient).grant(grantee.address, NARROW, t + 1n + max, randomHash()));

    const m = { patient: patient.address, grantee: s.signers[9].address, scopes: NARROW, expiresAt: t + 2n + max + 1n, purpose: randomHash(), epoch: 0, nonce: 0n, deadline: t + DAY };
    const sig = await sign(grantTypedData(consentDomain(s.chainId, addr(s.consent)), m));
    await setNextTimestamp(t + 2n);
    await expectRevert(
      s.consent.connect(relayer).grantBySig(m.patient, m.grantee, m.scopes, m.expiresAt, m.purpose, m.epoch, m.nonce, m.deadline, sig.r, sig.vs),
      s.consent, 'GrantTooLong', [m.expiresAt, t + 2n + max],
    );
  });
});

// ------------------------------------------------------------------ the four attacks, per variant

interface Variant {
  name: string;
  contract: () => Deployed;
  domainOf: (chainId: bigint, address: string) => TypedDataDomain;
  /** Sets up what the action needs and returns a fresh message (unique nonce/root via `n`). */
  message: (n: bigint, deadline: bigint) => Promise<object>;
  typed: (d: TypedDataDomain, m: object) => TypedData<object>;
  submit: (m: any, sig: { r: string; vs: string }) => Promise<unknown>;
  /** The custom error a replay of an accepted signature reverts with. */
  replayError: string;
}

const variants: Variant[] = [
  {
    name: 'grantBySig',
    contract: () => s.consent,
    domainOf: consentDomain,
    message: async (n, deadline) => ({ patient: patient.address, grantee: grantee.address, scopes: NARROW, expiresAt: (await now()) + DAY, purpose: randomHash(), epoch: await epochOf(grantee.address), nonce: n, deadline }),
    typed: (d, m) => grantTypedData(d, m as never),
    submit: (m, sig) => s.consent.connect(relayer).grantBySig(m.patient, m.grantee, m.scopes, m.expiresAt, m.purpose, m.epoch, m.nonce, m.deadline, sig.r, sig.vs),
    replayError: 'NonceAlreadyUsed',
  },
  {
    name: 'revokeBySig',
    contract: () => s.consent,
    domainOf: consentDomain,
    message: async (n, deadline) => {
      await mined(s.consent.connect(patient).grant(grantee.address, NARROW, (await now()) + DAY, randomHash()));
      return { patient: patient.address, grantee: grantee.address, epoch: await epochOf(grantee.address), nonce: n, deadline };
    },
    typed: (d, m) => revokeTypedData(d, m as never),
    submit: (m, sig) => s.consent.connect(relayer).revokeBySig(m.patient, m.grantee, m.epoch, m.nonce, m.deadline, sig.r, sig.vs),
    replayError: 'NonceAlreadyUsed',
  },
  {
    name: 'setEmergencyDelegateBySig',
    contract: () => s.consent,
    domainOf: consentDomain,
    message: async (n, deadline) => ({ patient: patient.address, delegate: grantee.address, allowed: true, epoch: await epochOf(grantee.address), nonce: n, deadline }),
    typed: (d, m) => emergencyDelegateTypedData(d, m as never),
    submit: (m, sig) => s.consent.connect(relayer).setEmergencyDelegateBySig(m.patient, m.delegate, m.allowed, m.epoch, m.nonce, m.deadline, sig.r, sig.vs),
    replayError: 'NonceAlreadyUsed',
  },
  {
    name: 'anchorBySig',
    contract: () => s.anchor,
    domainOf: anchorDomain,
    message: async (_n, deadline) => ({ patient: patient.address, root: randomHash(), count: 12n, deadline }),
    typed: (d, m) => anchorTypedData(d, m as never),
    submit: (m, sig) => s.anchor.connect(relayer).anchorBySig(m.patient, m.root, m.count, m.deadline, sig.r, sig.vs),
    replayError: 'AlreadyAnchored',
  },
  {
    name: 'setEncryptionKeyBySig',
    contract: () => s.directory,
    domainOf: directoryDomain,
    message: async (n, deadline) => ({ account: patient.address, key: randomHash(), previousKey: await s.directory.encryptionKeyOf(patient.address), nonce: n, deadline }),
    typed: (d, m) => encryptionKeyTypedData(d, m as never),
    submit: (m, sig) => s.directory.connect(relayer).setEncryptionKeyBySig(m.account, m.key, m.previousKey, m.nonce, m.deadline, sig.r, sig.vs),
    replayError: 'NonceAlreadyUsed',
  },
];

describe.each(variants)('$name', (v) => {
  const domain = () => v.domainOf(s.chainId, addr(v.contract()));
  const deadline = async () => (await now()) + DAY;

  it('is accepted once, relayed by another account, and rejected on replay', async () => {
    const m = await v.message(1n, await deadline());
    const sig = await sign(v.typed(domain(), m));
    const receipt = await mined(v.submit(m, sig) as never);
    expect(receipt.status).toBe(1);
    await expectRevert(v.submit(m, sig), v.contract(), v.replayError);
  });

  it('is rejected when signed for another chain', async () => {
    const m = await v.message(2n, await deadline());
    const sig = await sign(v.typed(v.domainOf(s.chainId + 1n, addr(v.contract())), m));
    await expectRevert(v.submit(m, sig), v.contract(), 'InvalidSigner');
  });

  it('is rejected when signed for another contract (same domain name, other address)', async () => {
    const m = await v.message(3n, await deadline());
    const elsewhere = [s.consent, s.anchor, s.directory].find((c) => c !== v.contract())!;
    const sig = await sign(v.typed(v.domainOf(s.chainId, addr(elsewhere)), m));
    await expectRevert(v.submit(m, sig), v.contract(), 'InvalidSigner');
  });

  it('is rejected after its deadline (block time), accepted at it', async () => {
    const late = await v.message(4n, (await now()) + 5n);
    const lateSig = await sign(v.typed(domain(), late));
    await setNextTimestamp((late as { deadline: bigint }).deadline + 1n);
    await expectRevert(v.submit(late, lateSig), v.contract(), 'SignatureExpired', [(late as { deadline: bigint }).deadline]);
    const onTime = await v.message(5n, (await now()) + 5n);
    const sig = await sign(v.typed(domain(), onTime));
    await setNextTimestamp((onTime as { deadline: bigint }).deadline);
    await mined(v.submit(onTime, sig) as never);
  });

  it('is rejected when signed by someone else', async () => {
    const m = await v.message(6n, await deadline());
    const sig = await sign(v.typed(domain(), m), s.signers[11]);
    await expectRevert(v.submit(m, sig), v.contract(), 'InvalidSigner', [s.signers[11].address, patient.address]);
  });
});

describe('anchorBySig and setEncryptionKeyBySig specifics', () => {
  it('anchorBySig records the patient (not the relayer) as anchorer', async () => {
    const m = { patient: patient.address, root: randomHash(), count: 3n, deadline: (await now()) + DAY };
    const sig = await sign(anchorTypedData(anchorDomain(s.chainId, addr(s.anchor)), m));
    const receipt = await mined(s.anchor.connect(relayer).anchorBySig(m.patient, m.root, m.count, m.deadline, sig.r, sig.vs));
    expectEvent(receipt, s.anchor, 'Anchored', [patient.address, m.root, patient.address, 3n]);
    const [anchorer] = await s.anchor.anchorOf(patient.address, m.root);
    expect(anchorer).toBe(patient.address);
  });

  it('setEncryptionKeyBySig is a compare-and-swap: a held older rotation cannot roll the key back', async () => {
    const d = directoryDomain(s.chainId, addr(s.directory));
    const first = { account: patient.address, key: randomHash(), previousKey: ethers.ZeroHash, nonce: 0n, deadline: (await now()) + DAY };
    const held = { account: patient.address, key: randomHash(), previousKey: first.key, nonce: 1n, deadline: first.deadline };
    const s1 = await sign(encryptionKeyTypedData(d, first));
    const sHeld = await sign(encryptionKeyTypedData(d, held));
    const receipt = await mined(s.directory.connect(relayer).setEncryptionKeyBySig(first.account, first.key, first.previousKey, 0n, first.deadline, s1.r, s1.vs));
    expectEvent(receipt, s.directory, 'EncryptionKeySet', [patient.address, first.key]);
    const newer = randomHash();
    await mined(s.directory.connect(patient).setEncryptionKey(newer));
    await expectRevert(
      s.directory.connect(relayer).setEncryptionKeyBySig(held.account, held.key, held.previousKey, 1n, held.deadline, sHeld.r, sHeld.vs),
      s.directory, 'StaleKey', [first.key, newer],
    );
    expect(await s.directory.encryptionKeyOf(patient.address)).toBe(newer);
  });

  it('the type strings are the documented ones', () => {
    expect(TypedDataEncoder.from(ANCHOR_TYPES).encodeType('Anchor')).toBe('Anchor(address patient,bytes32 root,uint256 count,uint256 deadline)');
    expect(TypedDataEncoder.from(ENCRYPTION_KEY_TYPES).encodeType('EncryptionKey')).toBe(
      'EncryptionKey(address account,bytes32 key,bytes32 previousKey,uint256 nonce,uint256 deadline)',
    );
    expect(TypedDataEncoder.from(EMERGENCY_DELEGATE_TYPES).encodeType('EmergencyDelegate')).toBe(
      'EmergencyDelegate(address patient,address delegate,bool allowed,uint32 epoch,uint256 nonce,uint256 deadline)',
    );
  });

  it('each contract publishes its own EIP-712 domain', async () => {
    for (const [c, name] of [[s.anchor, 'SecureMed Anchor'], [s.directory, 'SecureMed Directory']] as const) {
      const d = await c.eip712Domain();
      expect([d.name, d.version, d.chainId, d.verifyingContract]).toEqual([name, '1', s.chainId, c.target]);
    }
  });
});
