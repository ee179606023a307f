import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { buildRecordTree, recordLeafHash } from '../../shared/chain/merkle';
import { Scope, scopeMask } from '../../shared/chain/scopes';
import { deploy, deployStack, ethers, expectEvent, expectRevert, mined, now, randomHash, revertTo, snapshot, type Signer } from './helpers';

type Stack = Awaited<ReturnType<typeof deployStack>>;
let s: Stack;
let patient: Signer, doctor: Signer, other: Signer;
let snap: string;

beforeAll(async () => {
  s = await deployStack();
  [, , patient, doctor, other] = s.signers;
});
beforeEach(async () => {
  snap = await snapshot();
});
afterEach(async () => {
  await revertTo(snap);
});

const hashes = (n: number) => Array.from({ length: n }, () => randomHash());
const blockTime = async (n: number) => BigInt((await ethers.provider.getBlock(n))!.timestamp);

describe('anchor + verify', () => {
  for (const size of [1, 2, 3, 1024]) {
    it(`proofs from the off-chain builder verify on chain for a batch of ${size}`, async () => {
      const leaves = hashes(size);
      const batch = buildRecordTree(leaves);
      const receipt = await mined(s.anchor.connect(patient).anchor(batch.root, size));
      expectEvent(receipt, s.anchor, 'Anchored', [patient.address, batch.root, patient.address, size]);
      const t = await blockTime(receipt.blockNumber);
      // All proofs for small batches; a spread sample for 1024 (each is one eth_call).
      const picks = size <= 3 ? leaves : [0, 1, 511, 512, 1023].map((i) => leaves[i]);
      for (const leaf of picks) {
        const [anchorer, at] = await s.anchor.verify(patient.address, leaf, batch.proof(leaf));
        expect([anchorer, at]).toEqual([patient.address, t]);
      }
      expect(await s.anchor.anchorOf(patient.address, batch.root)).toEqual([patient.address, t]);
    });
  }

  it('a modified leaf or proof, or another patient, does not verify', async () => {
    const leaves = hashes(3);
    const batch = buildRecordTree(leaves);
    await mined(s.anchor.connect(patient).anchor(batch.root, 3));
    const proof = batch.proof(leaves[0]);
    const none = [ethers.ZeroAddress, 0n];
    expect(await s.anchor.verify(patient.address, randomHash(), proof)).toEqual(none);
    const tampered = [...proof];
    tampered[0] = randomHash();
    expect(await s.anchor.verify(patient.address, leaves[0], tampered)).toEqual(none);
    expect(await s.anchor.verify(patient.address, leaves[0], proof.slice(1))).toEqual(none);
    expect(await s.anchor.verify(other.address, leaves[0], proof)).toEqual(none);
    // The leaf is hashed on chain: passing the leaf hash itself (second-preimage style) fails.
    expect(await s.anchor.verify(patient.address, recordLeafHash(leaves[0]), proof)).toEqual(none);
  });

  it('reverts on a zero root, a zero count, and a root already anchored by the patient', async () => {
    const a = s.anchor.connect(patient);
    await expectRevert(a.anchor(ethers.ZeroHash, 1), s.anchor, 'InvalidRoot');
    await expectRevert(a.anchor(randomHash(), 0), s.anchor, 'InvalidCount');
    const root = randomHash();
    await mined(a.anchor(root, 1));
    await expectRevert(a.anchor(root, 1), s.anchor, 'AlreadyAnchored', [patient.address, root]);
    await mined(s.anchor.connect(other).anchor(root, 1)); // roots are per patient
  });
});

describe('anchorFor', () => {
  it('a grantee with the WRITE scope anchors for the patient and is recorded as anchorer', async () => {
    await mined(s.consent.connect(patient).grant(doctor.address, scopeMask(Scope.WRITE), (await now()) + 3600n, randomHash()));
    const leaves = hashes(2);
    const batch = buildRecordTree(leaves);
    const receipt = await mined(s.anchor.connect(doctor).anchorFor(patient.address, batch.root, 2));
    expectEvent(receipt, s.anchor, 'Anchored', [patient.address, batch.root, doctor.address, 2]);
    const [anchorer, at] = await s.anchor.verify(patient.address, leaves[1], batch.proof(leaves[1]));
    expect([anchorer, at]).toEqual([doctor.address, await blockTime(receipt.blockNumber)]);
  });

  it('reverts without a live WRITE grant (read-only, expired, revoked, break-glass) and on bad input', async () => {
    const c = s.anchor.connect(doctor);
    await expectRevert(c.anchorFor(patient.address, randomHash(), 1), s.anchor, 'NoWriteAccess', [patient.address, doctor.address]);
    await mined(s.consent.connect(patient).grant(doctor.address, Scope.LABS, (await now()) + 3600n, randomHash()));
    await expectRevert(c.anchorFor(patient.address, randomHash(), 1), s.anchor, 'NoWriteAccess');
    await mined(s.consent.connect(patient).setEmergencyDelegate(doctor.address, true));
    await mined(s.consent.connect(doctor).breakGlass(patient.address, randomHash()));
    await expectRevert(c.anchorFor(patient.address, randomHash(), 1), s.anchor, 'NoWriteAccess');
    await mined(s.consent.connect(patient).grant(doctor.address, Scope.WRITE, (await now()) + 3600n, randomHash()));
    await expectRevert(c.anchorFor(patient.address, ethers.ZeroHash, 1), s.anchor, 'InvalidRoot');
    await expectRevert(c.anchorFor(patient.address, randomHash(), 0), s.anchor, 'InvalidCount');
    await mined(s.consent.connect(patient).revoke(doctor.address));
    await expectRevert(c.anchorFor(patient.address, randomHash(), 1), s.anchor, 'NoWriteAccess');
  });

  it('exposes the consent registry it trusts', async () => {
    expect(await s.anchor.consent()).toBe(s.consent.target);
  });
});

describe('NaiveRecordStore baseline', () => {
  it('stores string records (bench only)', async () => {
    const naive = await deploy('NaiveRecordStore');
    const receipt = await mined(naive.connect(patient).addRecord({ resourceType: 'Observation', code: 'x', value: '1', unit: 'u', date: 'd', author: 'a' }));
    expectEvent(receipt, naive, 'RecordAdded', [patient.address, 0]);
    expect(await naive.recordCount(patient.address)).toBe(1n);
  });
});
