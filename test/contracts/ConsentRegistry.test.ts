import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { Scope, STANDARD_SCOPES, scopeMask } from '../../shared/chain/scopes';
import {
  deployStack, ethers, expectEvent, expectNoEvent, expectRevert, mined, now, randomHash, revertTo, setNextTimestamp,
  snapshot, travel, type Signer,
} from './helpers';

type Stack = Awaited<ReturnType<typeof deployStack>>;
let s: Stack;
let patient: Signer, grantee: Signer, other: Signer, delegate: Signer, provider: Signer;
let snap: string;
const DAY = 24n * 3600n;
const READ = scopeMask(Scope.LABS, Scope.MEDICATIONS);

beforeAll(async () => {
  s = await deployStack();
  [, , patient, grantee, other, delegate, provider] = s.signers;
});
beforeEach(async () => {
  snap = await snapshot();
});
afterEach(async () => {
  await revertTo(snap);
});

const asPatient = () => s.consent.connect(patient);

describe('grant', () => {
  it('stores scopes, expiry and grant time in one slot and emits Granted', async () => {
    const expiresAt = (await now()) + 30n * DAY;
    const purpose = randomHash();
    const receipt = await mined(asPatient().grant(grantee.address, READ, expiresAt, purpose));
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    expectEvent(receipt, s.consent, 'Granted', [patient.address, grantee.address, READ, expiresAt, purpose]);
    const g = await s.consent.grantOf(patient.address, grantee.address);
    expect([g.scopes, g.expiresAt, g.grantedAt, g.emergencyUntil]).toEqual([
      BigInt(READ), expiresAt, BigInt(block!.timestamp), 0n,
    ]);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(true);
    expect(await s.consent.hasAccess(patient.address, grantee.address, READ)).toBe(true);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.VITALS)).toBe(false);
    expect(await s.consent.hasAccess(patient.address, grantee.address, scopeMask(Scope.LABS, Scope.VITALS))).toBe(false);
    expect(await s.consent.hasAccess(patient.address, grantee.address, 0)).toBe(false);
    expect(await s.consent.effectiveScopes(patient.address, grantee.address)).toBe(BigInt(READ));
  });

  it('replaces an existing grant (narrowing too)', async () => {
    const t = await now();
    await mined(asPatient().grant(grantee.address, READ, t + DAY, randomHash()));
    const receipt = await mined(asPatient().grant(grantee.address, Scope.VITALS, t + 2n * DAY, ethers.ZeroHash));
    expectEvent(receipt, s.consent, 'Granted', [patient.address, grantee.address, Scope.VITALS, t + 2n * DAY, ethers.ZeroHash]);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(false);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.VITALS)).toBe(true);
  });

  it('honours expiry exactly: access ends at expiresAt', async () => {
    const expiresAt = (await now()) + 100n;
    await mined(asPatient().grant(grantee.address, READ, expiresAt, randomHash()));
    await setNextTimestamp(expiresAt - 1n);
    await ethers.provider.send('evm_mine', []);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(true);
    await ethers.provider.send('evm_mine', []);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(false);
    expect(await s.consent.effectiveScopes(patient.address, grantee.address)).toBe(0n);
  });

  it('keeps sensitive and write bits only when granted explicitly', async () => {
    const t = await now();
    const scopes = scopeMask(Scope.MENTAL_HEALTH, Scope.WRITE);
    await mined(asPatient().grant(grantee.address, scopes, t + DAY, randomHash()));
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.MENTAL_HEALTH)).toBe(true);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.WRITE)).toBe(true);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(false);
  });

  it('reverts on a zero or self grantee, empty or unknown scopes, and an expiry not in the future', async () => {
    const t = await now();
    await expectRevert(asPatient().grant(ethers.ZeroAddress, READ, t + DAY, randomHash()), s.consent, 'InvalidGrantee');
    await expectRevert(asPatient().grant(patient.address, READ, t + DAY, randomHash()), s.consent, 'InvalidGrantee');
    await expectRevert(asPatient().grant(grantee.address, 0, t + DAY, randomHash()), s.consent, 'InvalidScopes', [0]);
    await expectRevert(asPatient().grant(grantee.address, 1 << 12, t + DAY, randomHash()), s.consent, 'InvalidScopes', [1 << 12]);
    await setNextTimestamp(t + 10n);
    await expectRevert(asPatient().grant(grantee.address, READ, t + 10n, randomHash()), s.consent, 'ExpiryNotInFuture', [t + 10n]);
  });
});

describe('revoke', () => {
  it('deletes the grant and emits Revoked', async () => {
    await mined(asPatient().grant(grantee.address, READ, (await now()) + DAY, randomHash()));
    const receipt = await mined(asPatient().revoke(grantee.address));
    expectEvent(receipt, s.consent, 'Revoked', [patient.address, grantee.address]);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(false);
    const g = await s.consent.grantOf(patient.address, grantee.address);
    expect([g.scopes, g.expiresAt, g.grantedAt, g.emergencyUntil]).toEqual([0n, 0n, 0n, 0n]);
  });

  it('also ends an open break-glass window', async () => {
    await mined(asPatient().setEmergencyDelegate(delegate.address, true));
    await mined(s.consent.connect(delegate).breakGlass(patient.address, randomHash()));
    expect(await s.consent.hasAccess(patient.address, delegate.address, Scope.ALLERGIES)).toBe(true);
    const receipt = await mined(asPatient().revoke(delegate.address));
    expectEvent(receipt, s.consent, 'Revoked', [patient.address, delegate.address]);
    expect(await s.consent.hasAccess(patient.address, delegate.address, Scope.ALLERGIES)).toBe(false);
  });

  it('reverts when there is nothing to revoke (including another patient\'s grant)', async () => {
    await expectRevert(asPatient().revoke(grantee.address), s.consent, 'NoGrant', [patient.address, grantee.address]);
    await mined(asPatient().grant(grantee.address, READ, (await now()) + DAY, randomHash()));
    await expectRevert(s.consent.connect(other).revoke(grantee.address), s.consent, 'NoGrant', [other.address, grantee.address]);
  });
});

describe('requestAccess', () => {
  it('only emits AccessRequested (no state)', async () => {
    const purpose = randomHash();
    const receipt = await mined(s.consent.connect(grantee).requestAccess(patient.address, READ, purpose));
    expectEvent(receipt, s.consent, 'AccessRequested', [patient.address, grantee.address, READ, purpose]);
    expect(await s.consent.hasAccess(patient.address, grantee.address, Scope.LABS)).toBe(false);
  });

  it('reverts on a zero or self patient and on invalid scopes', async () => {
    const c = s.consent.connect(grantee);
    await expectRevert(c.requestAccess(ethers.ZeroAddress, READ, randomHash()), s.consent, 'InvalidPatient');
    await expectRevert(c.requestAccess(grantee.address, READ, randomHash()), s.consent, 'InvalidPatient');
    await expectRevert(c.requestAccess(patient.address, 0, randomHash()), s.consent, 'InvalidScopes', [0]);
    await expectRevert(c.requestAccess(patient.address, 1 << 20, randomHash()), s.consent, 'InvalidScopes', [1 << 20]);
  });
});

describe('break-glass', () => {
  it('setEmergencyDelegate names and removes delegates, evented', async () => {
    let receipt = await mined(asPatient().setEmergencyDelegate(delegate.address, true));
    expectEvent(receipt, s.consent, 'EmergencyDelegateSet', [patient.address, delegate.address, true]);
    expect(await s.consent.isEmergencyDelegate(patient.address, delegate.address)).toBe(true);
    receipt = await mined(asPatient().setEmergencyDelegate(delegate.address, false));
    expectEvent(receipt, s.consent, 'EmergencyDelegateSet', [patient.address, delegate.address, false]);
    expect(await s.consent.isEmergencyDelegate(patient.address, delegate.address)).toBe(false);
    await expectRevert(asPatient().setEmergencyDelegate(ethers.ZeroAddress, true), s.consent, 'InvalidGrantee');
    await expectRevert(asPatient().setEmergencyDelegate(patient.address, true), s.consent, 'InvalidGrantee');
  });

  it('a delegate opens time-boxed standard (non-sensitive, read-only) access', async () => {
    await mined(asPatient().setEmergencyDelegate(delegate.address, true));
    const reason = randomHash();
    const receipt = await mined(s.consent.connect(delegate).breakGlass(patient.address, reason));
    const t = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
    const until = t + (await s.consent.BREAK_GLASS_DURATION());
    expectEvent(receipt, s.consent, 'BreakGlass', [patient.address, delegate.address, reason, until, true]);
    expect(await s.consent.effectiveScopes(patient.address, delegate.address)).toBe(BigInt(STANDARD_SCOPES));
    expect(await s.consent.hasAccess(patient.address, delegate.address, Scope.MENTAL_HEALTH)).toBe(false);
    expect(await s.consent.hasAccess(patient.address, delegate.address, Scope.WRITE)).toBe(false);
    await setNextTimestamp(until - 1n);
    await ethers.provider.send('evm_mine', []);
    expect(await s.consent.hasAccess(patient.address, delegate.address, Scope.LABS)).toBe(true);
    await ethers.provider.send('evm_mine', []); // timestamp == until: the window is closed
    expect(await s.consent.hasAccess(patient.address, delegate.address, Scope.LABS)).toBe(false);
  });

  it('a verified provider may break glass; the window sits beside an existing grant without replacing it', async () => {
    await mined(s.directory.connect(s.verifier).attestProvider(provider.address, randomHash(), (await now()) + 365n * DAY));
    const t = await now();
    await mined(asPatient().grant(provider.address, scopeMask(Scope.MENTAL_HEALTH), t + 30n * DAY, randomHash()));
    const reason = randomHash();
    const receipt = await mined(s.consent.connect(provider).breakGlass(patient.address, reason));
    const bt = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
    expectEvent(receipt, s.consent, 'BreakGlass', [patient.address, provider.address, reason, bt + 4n * 3600n, false]);
    expect(await s.consent.effectiveScopes(patient.address, provider.address)).toBe(
      BigInt(scopeMask(STANDARD_SCOPES, Scope.MENTAL_HEALTH)),
    );
    await travel(5n * 3600n);
    expect(await s.consent.effectiveScopes(patient.address, provider.address)).toBe(BigInt(Scope.MENTAL_HEALTH));
    const g = await s.consent.grantOf(patient.address, provider.address);
    expect(g.scopes).toBe(BigInt(Scope.MENTAL_HEALTH));
  });

  it('a later grant keeps an open break-glass window', async () => {
    await mined(asPatient().setEmergencyDelegate(delegate.address, true));
    await mined(s.consent.connect(delegate).breakGlass(patient.address, randomHash()));
    await mined(asPatient().grant(delegate.address, Scope.WRITE, (await now()) + DAY, randomHash()));
    expect(await s.consent.effectiveScopes(patient.address, delegate.address)).toBe(
      BigInt(scopeMask(STANDARD_SCOPES, Scope.WRITE)),
    );
  });

  it('reverts for strangers, removed delegates, expired or revoked providers, self, zero patient and zero reason', async () => {
    const c = (x: Signer) => s.consent.connect(x);
    await expectRevert(c(other).breakGlass(patient.address, randomHash()), s.consent, 'NotEmergencyAccessor', [other.address]);
    await mined(asPatient().setEmergencyDelegate(delegate.address, true));
    await mined(asPatient().setEmergencyDelegate(delegate.address, false));
    await expectRevert(c(delegate).breakGlass(patient.address, randomHash()), s.consent, 'NotEmergencyAccessor', [delegate.address]);
    await mined(s.directory.connect(s.verifier).attestProvider(provider.address, randomHash(), (await now()) + DAY));
    await mined(s.directory.connect(s.verifier).revokeAttestation(provider.address));
    await expectRevert(c(provider).breakGlass(patient.address, randomHash()), s.consent, 'NotEmergencyAccessor', [provider.address]);
    await mined(s.directory.connect(s.verifier).attestProvider(provider.address, randomHash(), (await now()) + 100n));
    await travel(200);
    await expectRevert(c(provider).breakGlass(patient.address, randomHash()), s.consent, 'NotEmergencyAccessor', [provider.address]);
    await expectRevert(c(patient).breakGlass(patient.address, randomHash()), s.consent, 'InvalidPatient');
    await expectRevert(c(delegate).breakGlass(ethers.ZeroAddress, randomHash()), s.consent, 'InvalidPatient');
    await expectRevert(c(delegate).breakGlass(patient.address, ethers.ZeroHash), s.consent, 'InvalidReason');
  });

  it('naming a delegate opens nothing by itself', async () => {
    const receipt = await mined(asPatient().setEmergencyDelegate(delegate.address, true));
    expectNoEvent(receipt, s.consent, 'BreakGlass');
    expect(await s.consent.hasAccess(patient.address, delegate.address, Scope.LABS)).toBe(false);
  });
});

describe('directory link', () => {
  it('exposes the directory it was built with', async () => {
    expect(await s.consent.directory()).toBe(await s.directory.getAddress());
  });
});
