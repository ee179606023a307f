import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { ADMIN_DELAY, deployStack, ethers, expectEvent, expectRevert, mined, now, randomHash, revertTo, snapshot, travel, type Signer } from './helpers';

type Stack = Awaited<ReturnType<typeof deployStack>>;
let s: Stack;
let provider: Signer, other: Signer, newAdmin: Signer;
let snap: string;
let VERIFIER: string;

beforeAll(async () => {
  s = await deployStack();
  [, , provider, other, newAdmin] = s.signers;
  VERIFIER = await s.directory.VERIFIER_ROLE();
});
beforeEach(async () => {
  snap = await snapshot();
});
afterEach(async () => {
  await revertTo(snap);
});

describe('encryption keys', () => {
  it('anyone sets and rotates their key, evented', async () => {
    const key = randomHash();
    const receipt = await mined(s.directory.connect(other).setEncryptionKey(key));
    expectEvent(receipt, s.directory, 'EncryptionKeySet', [other.address, key]);
    expect(await s.directory.encryptionKeyOf(other.address)).toBe(key);
    const rotated = randomHash();
    await mined(s.directory.connect(other).setEncryptionKey(rotated));
    expect(await s.directory.encryptionKeyOf(other.address)).toBe(rotated);
    expect(await s.directory.encryptionKeyOf(provider.address)).toBe(ethers.ZeroHash);
  });

  it('refuses the zero key', async () => {
    await expectRevert(s.directory.connect(other).setEncryptionKey(ethers.ZeroHash), s.directory, 'InvalidEncryptionKey');
  });
});

describe('attestations', () => {
  it('a verifier attests a provider until expiry', async () => {
    const license = randomHash();
    const expiresAt = (await now()) + 1000n;
    const receipt = await mined(s.directory.connect(s.verifier).attestProvider(provider.address, license, expiresAt));
    expectEvent(receipt, s.directory, 'ProviderAttested', [provider.address, s.verifier.address, license, expiresAt]);
    expect(await s.directory.isVerifiedProvider(provider.address)).toBe(true);
    expect(await s.directory.attestationOf(provider.address)).toEqual([license, s.verifier.address, expiresAt]);
    await travel(1000);
    expect(await s.directory.isVerifiedProvider(provider.address)).toBe(false);
  });

  it('a verifier revokes an attestation', async () => {
    await mined(s.directory.connect(s.verifier).attestProvider(provider.address, randomHash(), (await now()) + 1000n));
    const receipt = await mined(s.directory.connect(s.verifier).revokeAttestation(provider.address));
    expectEvent(receipt, s.directory, 'AttestationRevoked', [provider.address, s.verifier.address]);
    expect(await s.directory.isVerifiedProvider(provider.address)).toBe(false);
    expect(await s.directory.attestationOf(provider.address)).toEqual([ethers.ZeroHash, ethers.ZeroAddress, 0n]);
  });

  it('removing a verifier voids what it attested', async () => {
    await mined(s.directory.connect(s.verifier).attestProvider(provider.address, randomHash(), (await now()) + 1000n));
    await mined(s.directory.revokeRole(VERIFIER, s.verifier.address));
    expect(await s.directory.isVerifiedProvider(provider.address)).toBe(false);
  });

  it('reverts for non-verifiers and invalid input', async () => {
    const t = await now();
    await expectRevert(s.directory.connect(other).attestProvider(provider.address, randomHash(), t + 100n), s.directory, 'AccessControlUnauthorizedAccount', [other.address, VERIFIER]);
    await expectRevert(s.directory.connect(other).revokeAttestation(provider.address), s.directory, 'AccessControlUnauthorizedAccount', [other.address, VERIFIER]);
    const v = s.directory.connect(s.verifier);
    await expectRevert(v.attestProvider(ethers.ZeroAddress, randomHash(), t + 100n), s.directory, 'InvalidProvider');
    await expectRevert(v.attestProvider(provider.address, ethers.ZeroHash, t + 100n), s.directory, 'InvalidLicenseHash');
    await expectRevert(v.attestProvider(provider.address, randomHash(), t), s.directory, 'ExpiryNotInFuture', [t]);
    await expectRevert(v.revokeAttestation(provider.address), s.directory, 'NotAttested', [provider.address]);
  });
});

describe('role administration (two-step, delayed default admin)', () => {
  it('the admin grants and revokes verifiers; others cannot', async () => {
    const receipt = await mined(s.directory.grantRole(VERIFIER, other.address));
    expectEvent(receipt, s.directory, 'RoleGranted', [VERIFIER, other.address, s.admin.address]);
    expect(await s.directory.hasRole(VERIFIER, other.address)).toBe(true);
    await expectRevert(s.directory.connect(other).grantRole(VERIFIER, provider.address), s.directory, 'AccessControlUnauthorizedAccount');
  });

  it('an admin transfer waits for the delay and must be accepted by the new admin', async () => {
    await mined(s.directory.beginDefaultAdminTransfer(newAdmin.address));
    await expectRevert(s.directory.connect(newAdmin).acceptDefaultAdminTransfer(), s.directory, 'AccessControlEnforcedDefaultAdminDelay');
    await travel(ADMIN_DELAY + 1);
    await expectRevert(s.directory.connect(other).acceptDefaultAdminTransfer(), s.directory, 'AccessControlInvalidDefaultAdmin', [other.address]);
    await mined(s.directory.connect(newAdmin).acceptDefaultAdminTransfer());
    expect(await s.directory.defaultAdmin()).toBe(newAdmin.address);
    expect(await s.directory.defaultAdminDelay()).toBe(BigInt(ADMIN_DELAY));
  });
});
