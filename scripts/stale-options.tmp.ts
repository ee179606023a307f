// Gas of the three stale-signature options, on Hardhat's in-process network.
const hre = require('hardhat');
const { Wallet, hexlify, randomBytes, TypedDataEncoder } = require('ethers');
async function main() {
  const ethers = hre.ethers;
  const [admin, , patient, relayer] = await ethers.getSigners();
  const dir = await ethers.deployContract('ProviderDirectory', [3600, admin.address]);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const gas = async (p: any) => Number((await (await p).wait()).gasUsed);
  const now = async () => BigInt((await ethers.provider.getBlock('latest')).timestamp);
  const fresh = () => Wallet.createRandom().address;
  const scopes = 1 | 4 | 16;
  const purpose = hexlify(randomBytes(32));
  const out: Record<string, Record<string, number>> = {};
  const sign = async (c: any, type: string, fields: [string, string][], msg: any) => {
    const domain = { name: 'SecureMed Consent', version: '1', chainId, verifyingContract: await c.getAddress() };
    const types = { [type]: fields.map(([name, t]) => ({ name, type: t })) };
    const sig = ethers.Signature.from(await patient.signTypedData(domain, types, msg));
    return { r: sig.r, vs: sig.yParityAndS };
  };
  // ---- B: issued-at
  {
    const c = await ethers.deployContract('ConsentRegistryIssuedAt', [await dir.getAddress()]);
    const p = c.connect(patient) as any; const rl = c.connect(relayer) as any;
    const r: Record<string, number> = {};
    const t = await now(); const exp = t + 86400n * 30n; const g = fresh();
    r.grant = await gas(p.grant(g, scopes, exp, purpose));
    r.grant_update = await gas(p.grant(g, scopes | 2, exp + 1n, purpose));
    r.revoke = await gas(p.revoke(g));
    const g2 = fresh(); const issuedAt = await now();
    const m = { patient: patient.address, grantee: g2, scopes, expiresAt: exp, purpose, issuedAt, nonce: 0n, deadline: t + 3600n };
    const s = await sign(c, 'Grant', [['patient','address'],['grantee','address'],['scopes','uint32'],['expiresAt','uint64'],['purpose','bytes32'],['issuedAt','uint64'],['nonce','uint256'],['deadline','uint256']], m);
    r.grantBySig = await gas(rl.grantBySig(m.patient, g2, scopes, exp, purpose, issuedAt, 0n, m.deadline, s.r, s.vs));
    const ia2 = await now();
    const rm = { patient: patient.address, grantee: g2, issuedAt: ia2, nonce: 1n, deadline: t + 3600n };
    const rs = await sign(c, 'Revoke', [['patient','address'],['grantee','address'],['issuedAt','uint64'],['nonce','uint256'],['deadline','uint256']], rm);
    r.revokeBySig = await gas(rl.revokeBySig(rm.patient, g2, ia2, 1n, rm.deadline, rs.r, rs.vs));
    out['B issued-at'] = r;
  }
  // ---- C: revoke/grant cancel nonces
  {
    const c = await ethers.deployContract('ConsentRegistryCancelOnRevoke', [await dir.getAddress()]);
    const p = c.connect(patient) as any; const rl = c.connect(relayer) as any;
    const r: Record<string, number> = {};
    const t = await now(); const exp = t + 86400n * 30n; const g = fresh();
    r['grant, cancel in a zero word'] = await gas(p.grant(g, scopes, exp, purpose, 5n, 1n << 3n));
    r['grant_update, cancel in a used word'] = await gas(p.grant(g, scopes | 2, exp + 1n, purpose, 5n, 1n << 4n));
    r['revoke, cancel in a used word'] = await gas(p.revoke(g, 5n, 1n << 6n));
    const g3 = fresh();
    await gas(p.grant(g3, scopes, exp, purpose, 0n, 0n));
    r['revoke, cancel in a zero word'] = await gas(p.revoke(g3, 9n, 1n << 6n));
    const g2 = fresh();
    const m = { patient: patient.address, grantee: g2, scopes, expiresAt: exp, purpose, nonce: 0n, deadline: t + 3600n };
    const s = await sign(c, 'Grant', [['patient','address'],['grantee','address'],['scopes','uint32'],['expiresAt','uint64'],['purpose','bytes32'],['nonce','uint256'],['deadline','uint256']], m);
    r['grantBySig (no cancel field)'] = await gas(rl.grantBySig(m.patient, g2, scopes, exp, purpose, 0n, m.deadline, s.r, s.vs));
    const rm = { patient: patient.address, grantee: g2, nonce: 1n, deadline: t + 3600n, mask: 0b11100n };
    // The experiment's typehash has no mask field; encode what the contract hashes.
    const typehash = ethers.keccak256(ethers.toUtf8Bytes('Revoke(address patient,address grantee,uint256 nonce,uint256 deadline)'));
    const structHash = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(['bytes32','address','address','uint256','uint256','uint256'], [typehash, rm.patient, g2, 1n, rm.deadline, rm.mask]));
    const domainSep = TypedDataEncoder.hashDomain({ name: 'SecureMed Consent', version: '1', chainId, verifyingContract: await c.getAddress() });
    const digest = ethers.keccak256(ethers.concat(['0x1901', domainSep, structHash]));
    const key = new Wallet('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a');
    const sig = key.signingKey.sign(digest);
    r['revokeBySig, cancel in its own word'] = await gas(rl.revokeBySig(rm.patient, g2, 1n, rm.deadline, rm.mask, sig.r, sig.yParityAndS));
    out['C revoke cancels nonces'] = r;
  }
  console.log(JSON.stringify(out, null, 2));
}
main().catch((e) => { console.error(e); process.exit(1); });
