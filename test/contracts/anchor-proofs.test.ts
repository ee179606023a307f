// Proofs of anchored record batches against the real RecordAnchor on Hardhat's in-process network.
// Leaves are the anchored format (shared/anchoring/leaf.ts: record id hash, version, content hash of
// the ciphertext), trees come from shared/chain/merkle.ts, exactly as the extension and the third-party
// verifier build them. Every proof of each batch is checked on chain, and the ways a forged or mixed-up
// proof could pass are tried: a changed record, another version, another batch's proof, a cut proof,
// another patient, the content hash alone.
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { anchorLeaf } from '../../shared/anchoring/leaf';
import { buildRecordTree, verifyRecordProof } from '../../shared/chain/merkle';
import { anchorDomain, anchorTypedData, compactSignature } from '../../shared/chain/eip712';
import { contentHash } from '../../shared/crypto/record-envelope';
import { deployStack, ethers, expectEvent, expectRevert, mined, now, revertTo, snapshot, type Signer } from './helpers';

type Stack = Awaited<ReturnType<typeof deployStack>>;
let s: Stack;
let patient: Signer, relayer: Signer, other: Signer;
let snap: string;

beforeAll(async () => {
  s = await deployStack();
  [, , patient, relayer, other] = s.signers;
});
beforeEach(async () => {
  snap = await snapshot();
});
afterEach(async () => {
  await revertTo(snap);
});

interface TestRecord {
  recordId: string;
  version: number;
  ciphertext: Uint8Array;
}

/** Records as the vault holds them: an id, a version and the sealed bytes (random here: only their hash matters). */
const records = (n: number): TestRecord[] =>
  Array.from({ length: n }, (_, i) => ({ recordId: crypto.randomUUID(), version: 1 + (i % 3), ciphertext: ethers.randomBytes(64 + (i % 200)) }));

const leafOf = (r: TestRecord) => anchorLeaf({ recordId: r.recordId, version: r.version, contentHash: contentHash(r.ciphertext) });

const blockTime = async (n: number) => BigInt((await ethers.provider.getBlock(n))!.timestamp);
const NONE = [ethers.ZeroAddress, 0n];

async function anchorBatch(by: Signer, n: number) {
  const recs = records(n);
  const leaves = recs.map(leafOf);
  const batch = buildRecordTree(leaves);
  const receipt = await mined(s.anchor.connect(by).anchor(batch.root, n));
  return { recs, leaves, batch, receipt, at: await blockTime(receipt.blockNumber) };
}

describe('every proof of a batch verifies on chain', () => {
  for (const size of [1, 2, 3, 1024]) {
    it(`batch of ${size}: each record's proof gives (patient, anchoring time); off chain too`, async () => {
      const { leaves, batch, receipt, at } = await anchorBatch(patient, size);
      expectEvent(receipt, s.anchor, 'Anchored', [patient.address, batch.root, patient.address, size]);
      // A tree of n leaves has proofs of ceil(log2 n) or floor(log2 n) siblings; a single record's is empty.
      const depth = Math.ceil(Math.log2(size));
      for (const leaf of leaves) {
        const proof = batch.proof(leaf);
        expect(proof.length).toBeLessThanOrEqual(depth);
        expect(proof.length).toBeGreaterThanOrEqual(Math.floor(Math.log2(size)));
        expect(verifyRecordProof(batch.root, leaf, proof)).toBe(true);
        const [anchorer, anchoredAt] = await s.anchor.verify(patient.address, leaf, proof);
        expect([anchorer, anchoredAt]).toEqual([patient.address, at]);
      }
    });
  }
});

describe('what must not verify', () => {
  it('a record changed after anchoring (new ciphertext, other version, other id), or the content hash alone', async () => {
    const { recs, batch } = await anchorBatch(patient, 3);
    const r = recs[1];
    const proof = batch.proof(leafOf(r));
    const resealed = { ...r, ciphertext: ethers.randomBytes(r.ciphertext.length) };
    const bitFlip = { ...r, ciphertext: Uint8Array.from(r.ciphertext, (b, i) => (i === 20 ? b ^ 1 : b)) };
    for (const changed of [resealed, bitFlip, { ...r, version: r.version + 1 }, { ...r, version: r.version - 1 }, { ...r, recordId: recs[0].recordId }]) {
      expect(await s.anchor.verify(patient.address, leafOf(changed), proof)).toEqual(NONE);
      expect(verifyRecordProof(batch.root, leafOf(changed), proof)).toBe(false);
    }
    // The tree value is the leaf of (id, version, content hash); the bare content hash is not in it.
    expect(await s.anchor.verify(patient.address, contentHash(r.ciphertext), proof)).toEqual(NONE);
  });

  it('a proof from another anchored batch of the same patient', async () => {
    const a = await anchorBatch(patient, 1024);
    const b = await anchorBatch(patient, 1024);
    for (const i of [0, 511, 1023]) {
      const leaf = a.leaves[i];
      // Same position in the other tree, and the other tree's proof for its own leaf i.
      expect(await s.anchor.verify(patient.address, leaf, b.batch.proof(b.leaves[i]))).toEqual(NONE);
      expect(await s.anchor.verify(patient.address, b.leaves[i], a.batch.proof(leaf))).toEqual(NONE);
      // Each batch still verifies with its own proofs.
      expect(await s.anchor.verify(patient.address, leaf, a.batch.proof(leaf))).toEqual([patient.address, a.at]);
      expect(await s.anchor.verify(patient.address, b.leaves[i], b.batch.proof(b.leaves[i]))).toEqual([patient.address, b.at]);
    }
  });

  it('a truncated, extended or reordered proof', async () => {
    const { leaves, batch, at } = await anchorBatch(patient, 1024);
    const leaf = leaves[700];
    const proof = batch.proof(leaf);
    expect(proof).toHaveLength(10);
    const forged = [
      proof.slice(0, -1), // stops one level below the root: an inner node, never an anchored root
      proof.slice(1),
      [],
      [...proof, proof[0]],
      [proof[1], proof[0], ...proof.slice(2)],
    ];
    for (const p of forged) expect(await s.anchor.verify(patient.address, leaf, p)).toEqual(NONE);
    expect(await s.anchor.verify(patient.address, leaf, proof)).toEqual([patient.address, at]);
  });

  it('another patient, even one who anchored the very same root', async () => {
    const { leaves, batch } = await anchorBatch(patient, 2);
    const proof = batch.proof(leaves[0]);
    expect(await s.anchor.verify(other.address, leaves[0], proof)).toEqual(NONE);
    // Roots are per patient: `other` anchoring the same root is recorded as other's, not patient's.
    const r = await mined(s.anchor.connect(other).anchor(batch.root, 2));
    expect(await s.anchor.verify(other.address, leaves[0], proof)).toEqual([other.address, await blockTime(r.blockNumber)]);
    const [anchorer] = await s.anchor.verify(patient.address, leaves[0], proof);
    expect(anchorer).toBe(patient.address);
  });
});

describe('signed anchor (anchorBySig, relayed)', () => {
  async function signAnchor(root: string, count: number) {
    const message = { patient: patient.address, root, count: BigInt(count), deadline: (await now()) + 600n };
    const td = anchorTypedData(anchorDomain(s.chainId, await s.anchor.getAddress()), message);
    const sig = compactSignature(await patient.signTypedData(td.domain, td.types, td.message as unknown as Record<string, unknown>));
    return { message, sig };
  }

  it('a batch of 1,024 anchored by a relayer is recorded as the patient\'s; every proof verifies; a replay reverts AlreadyAnchored', async () => {
    const recs = records(1024);
    const leaves = recs.map(leafOf);
    const batch = buildRecordTree(leaves);
    const { message: m, sig } = await signAnchor(batch.root, 1024);
    const send = () => s.anchor.connect(relayer).anchorBySig(m.patient, m.root, m.count, m.deadline, sig.r, sig.vs);
    const receipt = await mined(send());
    expectEvent(receipt, s.anchor, 'Anchored', [patient.address, batch.root, patient.address, 1024]);
    const at = await blockTime(receipt.blockNumber);
    for (const leaf of leaves) {
      expect(await s.anchor.verify(patient.address, leaf, batch.proof(leaf))).toEqual([patient.address, at]);
    }
    // Replays: the same signature by anyone, and the patient's own direct call; the first anchoring stays.
    await expectRevert(send(), s.anchor, 'AlreadyAnchored', [patient.address, batch.root]);
    await expectRevert(s.anchor.connect(other).anchorBySig(m.patient, m.root, m.count, m.deadline, sig.r, sig.vs), s.anchor, 'AlreadyAnchored');
    await expectRevert(s.anchor.connect(patient).anchor(batch.root, 1024), s.anchor, 'AlreadyAnchored', [patient.address, batch.root]);
    expect(await s.anchor.anchorOf(patient.address, batch.root)).toEqual([patient.address, at]);
  });

  it('a signature over another count or root does not anchor this batch', async () => {
    const batch = buildRecordTree(records(3).map(leafOf));
    const { message: m, sig } = await signAnchor(batch.root, 3);
    await expectRevert(s.anchor.connect(relayer).anchorBySig(m.patient, m.root, 4n, m.deadline, sig.r, sig.vs), s.anchor, 'InvalidSigner');
    const otherRoot = buildRecordTree(records(3).map(leafOf)).root;
    await expectRevert(s.anchor.connect(relayer).anchorBySig(m.patient, otherRoot, m.count, m.deadline, sig.r, sig.vs), s.anchor, 'InvalidSigner');
    expect(await s.anchor.anchorOf(patient.address, batch.root)).toEqual(NONE);
  });
});
