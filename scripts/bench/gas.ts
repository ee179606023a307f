// Gas table of the access contracts, measured on a real Hardhat node that this module starts on a
// free port and stops again. Worst realistic cases: a patient's first grant to a new grantee (cold,
// zero slot) and, for grantBySig, the patient's first signature (fresh nonce bitmap word). Every
// signed variant (…BySig, relayed by another account) is measured beside its direct call.
// Run: npx tsx -e "require('./scripts/bench/gas.ts').gasMetrics().then(m=>console.log(m))"
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import {
  Contract, JsonRpcProvider, Wallet, ZeroHash, hexlify, randomBytes, type ContractTransactionResponse, type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import { deployAll, deployContract, loadArtifact } from '../deploy';
import {
  anchorDomain, anchorTypedData, cancelNoncesTypedData, compactSignature, consentDomain, directoryDomain, emergencyDelegateTypedData,
  encryptionKeyTypedData, grantTypedData, revokeTypedData,
} from '../../shared/chain/eip712';
import { buildRecordTree } from '../../shared/chain/merkle';
import { Scope } from '../../shared/chain/scopes';

const ROOT = resolve(__dirname, '..', '..');
// Hardhat's default-mnemonic account #2 (a public test key): the patient, who must sign EIP-712 data.
const PATIENT_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

async function waitForRpc(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`hardhat node did not answer on ${url}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    try {
      process.kill(-child.pid!, 'SIGTERM'); // own process group: nothing left holding the port
    } catch {
      done();
    }
  });
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

export async function gasMetrics(): Promise<Record<string, number>> {
  const compile = spawnSync(process.execPath, [require.resolve('hardhat/internal/cli/cli.js'), 'compile', '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (compile.status !== 0) throw new Error('hardhat compile failed');

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const node = spawn(
    process.execPath,
    [require.resolve('hardhat/internal/cli/cli.js'), 'node', '--hostname', '127.0.0.1', '--port', String(port)],
    { cwd: ROOT, stdio: 'ignore', detached: true },
  );
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    await waitForRpc(url, node);
    const d = await deployAll(url, { write: false });
    const accounts = await provider.listAccounts();
    const patient = new Wallet(PATIENT_KEY, provider);
    const relayer = accounts[4];
    const signerBy = (addr: string, abiName: string) => new Contract(addr, loadArtifact(abiName).abi, patient);
    const consent = signerBy(d.contracts.ConsentRegistry, 'ConsentRegistry');
    const anchor = signerBy(d.contracts.RecordAnchor, 'RecordAnchor');
    const directory = signerBy(d.contracts.ProviderDirectory, 'ProviderDirectory');
    const now = BigInt((await provider.getBlock('latest'))!.timestamp);
    const expiresAt = now + 30n * 24n * 3600n;
    const purpose = hexlify(randomBytes(32));
    const scopes = Scope.LABS | Scope.MEDICATIONS | Scope.ALLERGIES;
    const fresh = () => Wallet.createRandom().address;
    const m: Record<string, number> = {};
    const consentDom = consentDomain(d.chainId, d.contracts.ConsentRegistry);
    const relayedConsent = consent.connect(relayer) as Contract;
    const deadline = now + 3600n;
    const sign = async (wallet: Wallet, td: { domain: TypedDataDomain; types: Record<string, TypedDataField[]>; message: object }) =>
      compactSignature(await wallet.signTypedData(td.domain, td.types, td.message as Record<string, unknown>));
    const epochOf = async (p: string, g: string) => Number((await consent.grantOf(p, g)).epoch);

    const grantee = fresh();
    m['gas.grant'] = await gasOf(consent.grant(grantee, scopes, expiresAt, purpose));
    m['gas.grant_update'] = await gasOf(consent.grant(grantee, scopes | Scope.VITALS, expiresAt + 1n, purpose));
    m['gas.revoke'] = await gasOf(consent.revoke(grantee));

    // The patient's first signature: nonce word 0 is still zero (cold 0 -> non-zero write).
    const sigGrantee = fresh();
    const msg = { patient: patient.address, grantee: sigGrantee, scopes, expiresAt, purpose, epoch: 0, nonce: 0n, deadline };
    const g = await sign(patient, grantTypedData(consentDom, msg));
    m['gas.grantBySig'] = await gasOf(
      relayedConsent.grantBySig(msg.patient, msg.grantee, msg.scopes, msg.expiresAt, msg.purpose, msg.epoch, msg.nonce, msg.deadline, g.r, g.vs),
    );
    // Revoking that grant by signature: nonce word 0 is now non-zero (cold, non-zero -> non-zero).
    const rv = { patient: patient.address, grantee: sigGrantee, epoch: await epochOf(patient.address, sigGrantee), nonce: 1n, deadline };
    const rs = await sign(patient, revokeTypedData(consentDom, rv));
    m['gas.revokeBySig'] = await gasOf(relayedConsent.revokeBySig(rv.patient, rv.grantee, rv.epoch, rv.nonce, rv.deadline, rs.r, rs.vs));

    const delegate = accounts[5];
    m['gas.setEmergencyDelegate'] = await gasOf(consent.setEmergencyDelegate(delegate.address, true));
    m['gas.breakGlass'] = await gasOf((consent.connect(delegate) as Contract).breakGlass(patient.address, purpose));
    const sigDelegate = fresh();
    const dm = { patient: patient.address, delegate: sigDelegate, allowed: true, epoch: 0, nonce: 2n, deadline };
    const ds = await sign(patient, emergencyDelegateTypedData(consentDom, dm));
    m['gas.setEmergencyDelegateBySig'] = await gasOf(
      relayedConsent.setEmergencyDelegateBySig(dm.patient, dm.delegate, dm.allowed, dm.epoch, dm.nonce, dm.deadline, ds.r, ds.vs),
    );
    m['gas.cancelNonces'] = await gasOf(consent.cancelNonces(0n, 1n << 200n));
    const cm = { patient: patient.address, wordPos: 0n, mask: 1n << 201n, deadline };
    const cs = await sign(patient, cancelNoncesTypedData(consentDom, cm));
    m['gas.cancelNoncesBySig'] = await gasOf(relayedConsent.cancelNoncesBySig(cm.patient, cm.wordPos, cm.mask, cm.deadline, cs.r, cs.vs));

    // First key of an account, directly and by signature (a fresh signer: first nonce word too).
    m['gas.setEncryptionKey'] = await gasOf(directory.setEncryptionKey(hexlify(randomBytes(32))));
    const keyOwner = new Wallet(Wallet.createRandom().privateKey);
    const km = { account: keyOwner.address, key: hexlify(randomBytes(32)), previousKey: ZeroHash, nonce: 0n, deadline };
    const ks = await sign(keyOwner, encryptionKeyTypedData(directoryDomain(d.chainId, d.contracts.ProviderDirectory), km));
    m['gas.setEncryptionKeyBySig'] = await gasOf(
      (directory.connect(relayer) as Contract).setEncryptionKeyBySig(km.account, km.key, km.previousKey, km.nonce, km.deadline, ks.r, ks.vs),
    );

    const leaves = (n: number) => Array.from({ length: n }, () => hexlify(randomBytes(32)));
    m['gas.anchor.1'] = await gasOf(anchor.anchor(buildRecordTree(leaves(1)).root, 1));
    m['gas.anchor.1024'] = await gasOf(anchor.anchor(buildRecordTree(leaves(1024)).root, 1024));
    const am = { patient: patient.address, root: buildRecordTree(leaves(1024)).root, count: 1024n, deadline };
    const an = await sign(patient, anchorTypedData(anchorDomain(d.chainId, d.contracts.RecordAnchor), am));
    m['gas.anchorBySig.1024'] = await gasOf(
      (anchor.connect(relayer) as Contract).anchorBySig(am.patient, am.root, am.count, am.deadline, an.r, an.vs),
    );

    // Naive baseline: one record's fields as strings (a realistic lab result), first record of a patient.
    const naive = await deployContract(patient, 'NaiveRecordStore', [], 'contracts/baseline/NaiveRecordStore.sol');
    const record = {
      resourceType: 'Observation',
      code: 'http://loinc.org|2345-7 Glucose [Mass/volume] in Serum or Plasma',
      value: '95',
      unit: 'mg/dL',
      date: '2025-03-14T09:30:00Z',
      author: 'Practitioner/9f2c1a7e-city-general-lab',
    };
    m['gas.baseline.addRecord'] = await gasOf((naive.contract as Contract).addRecord(record));
    // Anchoring 1024 records costs one anchor call; the naive store pays addRecord per record.
    m['gas.baseline.ratio_per_record_1024'] = Number(
      ((m['gas.baseline.addRecord'] * 1024) / m['gas.anchor.1024']).toFixed(1),
    );
    return m;
  } finally {
    provider.destroy();
    await stop(node);
  }
}

/** Budgets from the product design and issue 10, for printing next to the figures (not asserted anywhere). */
export const GAS_BUDGETS: Record<string, number> = {
  'gas.grant': 47_000,
  'gas.revoke': 30_000,
  'gas.grantBySig': 78_000,
  'gas.anchor.1': 47_000,
  'gas.anchor.1024': 47_000,
  'gas.anchorBySig.1024': 52_000,
};

/** Each signed variant and its direct call, so the table shows them side by side. */
export const DIRECT_CALL_OF: Record<string, string> = {
  'gas.grantBySig': 'gas.grant',
  'gas.revokeBySig': 'gas.revoke',
  'gas.setEmergencyDelegateBySig': 'gas.setEmergencyDelegate',
  'gas.cancelNoncesBySig': 'gas.cancelNonces',
  'gas.setEncryptionKeyBySig': 'gas.setEncryptionKey',
  'gas.anchorBySig.1024': 'gas.anchor.1024',
};

if (require.main === module) {
  gasMetrics()
    .then((m) => {
      for (const [k, v] of Object.entries(m)) {
        const b = GAS_BUDGETS[k];
        console.log(`${k.padEnd(40)} ${String(v).padStart(10)}${b ? `   budget ${b} ${v <= b ? 'ok' : 'OVER'}` : ''}`);
      }
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
