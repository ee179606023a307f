// The third-party check: `npm run verify-record -- <file>` against a real Hardhat node, run as a child
// process like a doctor or a court would run it. A batch of real sealed records (padded like the
// extension pads, anchored by signature through the real relayer) gives the proof files; then modified
// copies of them must be rejected with the right reason and exit code 1.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorLeaf } from '../../shared/anchoring/leaf';
import { PROOF_FILE_FORMAT, PROOF_FILE_VERSION, ProofFile } from '../../shared/anchoring/proof-file';
import { anchorDomain, anchorTypedData } from '../../shared/chain/eip712';
import { buildRecordTree } from '../../shared/chain/merkle';
import { relayRequest, submitToRelayer } from '../../shared/chain/relayer';
import { toBase64 } from '../../shared/crypto/bytes';
import { encryptRecord } from '../../shared/crypto/record-envelope';
import { paddedCount, paddingLeaves } from '../../extension/anchoring/tree';
import type { Relayer } from '../../scripts/relayer/server';
import { checkProofFileText } from '../../scripts/verify-record/check';
import { freePort, patientWallet, startChainStack, startTestRelayer, waitForStatus, type ChainStack } from './helpers/relayer-stack';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

let stack: ChainStack;
let relayer: Relayer;
let dir: string;
/** Valid proof files of one anchored batch: [0] with the readable content and its key, [1] sealed only. */
let files: ProofFile[];

interface Run {
  code: number;
  out: string;
}

/** The verifier as a separate process (tsx, as `npm run verify-record` runs it). */
function runVerifier(args: string[], env: NodeJS.ProcessEnv = {}, viaNpm = false): Promise<Run> {
  const [cmd, argv] = viaNpm ? ['npm', ['run', '--silent', 'verify-record', '--', ...args]] : [TSX, [join(ROOT, 'scripts/verify-record.ts'), ...args]];
  return new Promise((done) => {
    execFile(cmd as string, argv as string[], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, out: `${stdout}${stderr}` });
    });
  });
}

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const clone = (f: ProofFile): ProofFile => JSON.parse(JSON.stringify(f)) as ProofFile;
const rpc = () => ['--rpc', stack.chain.url];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'securemed-verify-record-'));
  stack = await startChainStack();
  relayer = await startTestRelayer(stack);
  // Five records sealed as the vault seals them; the batch padded to 8 as the extension pads it.
  const account = patientWallet();
  const vaultPatient = patientWallet().address.toLowerCase();
  const sealed = await Promise.all(
    Array.from({ length: 5 }, async (_, i) => {
      const resource = { resourceType: 'Observation', id: `obs-${i}`, status: 'final', code: { text: 'Glucose' }, valueQuantity: { value: 90 + i, unit: 'mg/dL' } };
      const { envelope, dek } = await encryptRecord({ recordId: crypto.randomUUID(), patient: vaultPatient, version: 1 + (i % 2) }, resource);
      return { envelope, dek, resource, leaf: anchorLeaf({ recordId: envelope.recordId, version: envelope.version, contentHash: envelope.contentHash }) };
    }),
  );
  const count = paddedCount(sealed.length);
  const tree = buildRecordTree([...sealed.map((s) => s.leaf), ...paddingLeaves(count - sealed.length)]);
  const d = stack.deployment;
  const td = anchorTypedData(anchorDomain(d.chainId, d.contracts.RecordAnchor), { patient: account.address, root: tree.root, count: BigInt(count), deadline: (await stack.blockTime()) + 600n });
  const sig = await account.signTypedData(td.domain, td.types, td.message as unknown as Record<string, unknown>);
  const sent = await submitToRelayer(relayer.url, relayRequest('anchorBySig', d.chainId, d.contracts.RecordAnchor, td.message, sig));
  if (!sent.ok) throw new Error(`anchoring refused: ${sent.error.message}`);
  const status = await waitForStatus(relayer.url, sent.request.id, (s) => s.status !== 'pending');
  expect(status.status).toBe('confirmed');
  const [, anchoredAt] = (await stack.anchor.anchorOf(account.address, tree.root)) as [string, bigint];
  files = sealed.map((s, i) =>
    ProofFile.parse({
      format: PROOF_FILE_FORMAT,
      v: PROOF_FILE_VERSION,
      exportedAt: new Date().toISOString(),
      record: {
        id: s.envelope.recordId, version: s.envelope.version, patient: vaultPatient, contentHash: s.envelope.contentHash, ciphertext: toBase64(s.envelope.ciphertext),
        ...(i === 0 ? { dek: toBase64(s.dek), resource: s.resource } : {}),
      },
      leaf: s.leaf,
      proof: tree.proof(s.leaf),
      root: tree.root,
      anchor: { chainId: d.chainId, contract: d.contracts.RecordAnchor, account: account.address, blockNumber: status.blockNumber!, blockTime: Number(anchoredAt), txHash: status.txHash, count },
    }),
  );
}, 180_000);

afterAll(async () => {
  await relayer?.close();
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run verify-record (child process)', () => {
  it('accepts an exported record with its content: exit 0, block, date, padded count, content checked', async () => {
    const f = files[0];
    const r = await runVerifier([write('ok-content.json', f), ...rpc()], {}, true);
    expect(r.out).toMatch(/^VERIFIED: record /m);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`record ${f.record.id}, version ${f.record.version}, is unchanged since`);
    expect(r.out).toContain(`Anchored in block ${f.anchor.blockNumber} of chain 31337, by account ${f.anchor.account}`);
    expect(r.out).toContain(`transaction ${f.anchor.txHash}`);
    // The date in words, from the chain (UTC), e.g. "Thursday 26 November 2026 at 16:20:01 UTC".
    const day = new Date(f.anchor.blockTime * 1000).toLocaleDateString('en-GB', { dateStyle: 'full', timeZone: 'UTC' });
    expect(r.out).toContain(day);
    expect(r.out).toContain('holds 8 records (a padded size)');
    expect(r.out).toContain('readable copy in the file was decrypted');
  });

  it('accepts a sealed-only file, the RPC taken from SECUREMED_RPC_URL', async () => {
    const r = await runVerifier([write('ok-sealed.json', files[1])], { SECUREMED_RPC_URL: stack.chain.url });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^VERIFIED: /m);
    expect(r.out).toContain('only the encrypted bytes were checked');
  });

  it('rejects a record re-sealed with other content under the same id and version: exit 1, record-modified', async () => {
    const f = clone(files[1]);
    const { envelope } = await encryptRecord({ recordId: f.record.id, patient: f.record.patient, version: f.record.version }, { resourceType: 'Observation', id: 'forged' });
    f.record.ciphertext = toBase64(envelope.ciphertext);
    const r = await runVerifier([write('resealed.json', f), ...rpc()]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^NOT VERIFIED \(record-modified\): The record was changed: its bytes no longer match/m);
    expect(r.out).not.toMatch(/^VERIFIED/m);
  });

  it('rejects a rollback to another version of the record (same bytes, other version): record-modified', async () => {
    const f = clone(files[1]);
    f.record.version += 1;
    const r = await runVerifier([write('other-version.json', f), ...rpc()]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('NOT VERIFIED (record-modified): The record was changed: its id or version is not the one that was anchored');
  });

  it('rejects a modified record whose hashes and root were rewritten to match: the chain never saw that root', async () => {
    const f = clone(files[2]);
    const { envelope } = await encryptRecord({ recordId: f.record.id, patient: f.record.patient, version: f.record.version }, { forged: true });
    f.record.ciphertext = toBase64(envelope.ciphertext);
    f.record.contentHash = envelope.contentHash;
    f.leaf = anchorLeaf({ recordId: f.record.id, version: f.record.version, contentHash: envelope.contentHash });
    const forged = buildRecordTree([f.leaf, ...paddingLeaves(7)]);
    f.proof = forged.proof(f.leaf);
    f.root = forged.root;
    const r = await runVerifier([write('rerooted.json', f), ...rpc()]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`NOT VERIFIED (unknown-root): The batch root was never anchored for account ${f.anchor.account} on chain 31337`);
  });

  it('rejects a malformed file with the field that is wrong', async () => {
    const f = clone(files[1]) as unknown as { record: Record<string, unknown> };
    delete f.record.ciphertext;
    const r = await runVerifier([write('malformed.json', f), ...rpc()]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('NOT VERIFIED (malformed-file): The file is not a SecureMed record proof file');
    expect(r.out).toContain('record.ciphertext:');
    const notJson = await runVerifier([write('not-json.json', '{"format": "securemed-record-proof",'), ...rpc()]);
    expect(notJson.code).toBe(1);
    expect(notJson.out).toContain('NOT VERIFIED (malformed-file): The file is not JSON');
  });

  it('says the chain is unreachable (exit 1) when nothing answers at the RPC URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await runVerifier([write('ok-unreachable.json', files[1]), '--rpc', url]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`NOT VERIFIED (chain-unreachable): The chain could not be reached at ${url}`);
  });
});

describe('the same checks in process (every failure kind)', () => {
  const check = (f: unknown, contract?: string) => checkProofFileText(JSON.stringify(f), { rpcUrl: stack.chain.url, contract });

  it('a proof that belongs to another record of the batch: wrong-proof', async () => {
    const f = clone(files[1]);
    f.proof = files[2].proof;
    expect(await check(f)).toMatchObject({ ok: false, kind: 'wrong-proof' });
  });

  it('a changed readable copy, or a key that does not open the record: content-mismatch', async () => {
    const changed = clone(files[0]);
    (changed.record.resource as { valueQuantity: { value: number } }).valueQuantity.value = 250;
    expect(await check(changed)).toMatchObject({ ok: false, kind: 'content-mismatch', message: expect.stringContaining('readable copy') });
    const wrongKey = clone(files[0]);
    wrongKey.record.dek = toBase64(crypto.getRandomValues(new Uint8Array(32)));
    expect(await check(wrongKey)).toMatchObject({ ok: false, kind: 'content-mismatch', message: expect.stringContaining('does not open') });
  });

  it('a file naming another contract (one that might answer "anchored" to anything): untrusted-contract', async () => {
    const f = clone(files[1]);
    f.anchor.contract = stack.deployment.contracts.ConsentRegistry;
    expect(await check(f)).toMatchObject({ ok: false, kind: 'untrusted-contract' });
    // --contract overrides the repository's deployment, and the file must then name that one.
    expect(await check(files[1], stack.deployment.contracts.ConsentRegistry)).toMatchObject({ ok: false, kind: 'untrusted-contract' });
    expect(await check(files[1], stack.deployment.contracts.RecordAnchor)).toMatchObject({ ok: true });
  });

  it('a file claiming another time or block than the chain: claim-mismatch; another chain id: wrong-chain', async () => {
    const earlier = clone(files[1]);
    earlier.anchor.blockTime -= 86_400;
    expect(await check(earlier)).toMatchObject({ ok: false, kind: 'claim-mismatch', message: expect.stringContaining("the file's date is wrong") });
    const block = clone(files[1]);
    block.anchor.blockNumber += 1;
    expect(await check(block)).toMatchObject({ ok: false, kind: 'claim-mismatch', message: expect.stringContaining("the file's block is wrong") });
    // An exporter that did not know the block writes 0: the chain's block is reported instead.
    const unknownBlock = clone(files[1]);
    unknownBlock.anchor.blockNumber = 0;
    expect(await check(unknownBlock)).toMatchObject({ ok: true, blockNumber: files[1].anchor.blockNumber });
    const chain = clone(files[1]);
    chain.anchor.chainId = 1;
    expect(await check(chain)).toMatchObject({ ok: false, kind: 'wrong-chain' });
  });

  it('another account than the one that anchored: unknown-root', async () => {
    const f = clone(files[3]);
    f.anchor.account = patientWallet().address;
    expect(await check(f)).toMatchObject({ ok: false, kind: 'unknown-root' });
  });

  it('every record of the batch verifies, with the facts from the chain', async () => {
    for (const f of files) {
      expect(await check(f)).toMatchObject({
        ok: true, recordId: f.record.id, blockNumber: f.anchor.blockNumber, anchoredAt: f.anchor.blockTime, count: 8, account: f.anchor.account, anchorer: f.anchor.account, txHash: f.anchor.txHash,
      });
    }
  });
});
