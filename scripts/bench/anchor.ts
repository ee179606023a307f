// Tamper-evidence figures (issue 18), on a real Hardhat node with the real relayer, as the extension
// anchors and as a third party verifies:
// - anchor.batch_1000_ms: 1,000 records' leaves (shared/anchoring/leaf.ts) + the tree padded as the
//   extension pads it (extension/anchoring/tree.ts: 1,024) + the EIP-712 signature + POST to the
//   relayer → its status says confirmed (polled every 10 ms). Median of 5 after one warm-up.
// - verify.record_ms: one record's content hash and leaf recomputed from its ciphertext (2 KB) + its
//   proof checked by RecordAnchor.verify (one eth_call), as scripts/verify-record does. Median of 50.
// - verify.all_10k_s: 10,000 records in 10 anchored batches, each leaf recomputed and its proof walked
//   off chain, then one anchorOf per batch root (scripts/verify-record/many.ts); beside it, the same
//   10,000 checked with one verify() eth_call each.
// - gas of anchorBySig through the relayer for 1 record (told 8, the padding) and 1,024 records, the
//   highest of 3 fresh roots each (a zero byte of calldata costs less than a non-zero one), beside a
//   plain anchor() of the same sizes.
// Run alone: npx tsx scripts/bench/anchor.ts
import { Contract, JsonRpcProvider, Network, Wallet, randomBytes } from 'ethers';
import { deployAll, type Deployment } from '../deploy';
import { startLocalChain } from '../lib/chain';
import { freePort, median } from '../relayer/bench';
import { hardhatDevKey } from '../relayer/config';
import { startRelayer, type Relayer } from '../relayer/server';
import { AnchorReader } from '../verify-record/chain';
import { verifyMany, type ManyItem } from '../verify-record/many';
import { recomputeLeaf } from '../verify-record/offline';
import { paddedCount, paddingLeaves } from '../../extension/anchoring/tree';
import { anchorLeaf } from '../../shared/anchoring/leaf';
import { RecordAnchorAbi } from '../../shared/chain/abis';
import { anchorDomain, anchorTypedData } from '../../shared/chain/eip712';
import { buildRecordTree, type RecordBatch } from '../../shared/chain/merkle';
import { relayRequest, relayerStatus, submitToRelayer, type RelayStatus } from '../../shared/chain/relayer';
import { toBase64 } from '../../shared/crypto/bytes';
import { contentHash } from '../../shared/crypto/record-envelope';
import type { Metric } from './metrics';

/** A vault record as the anchoring and the verifier see it: id, version, sealed bytes (random: only their hash matters). */
interface BenchRecord {
  id: string;
  version: number;
  ciphertext: string; // base64, as in a proof file
  contentHash: string;
}

const CIPHERTEXT_BYTES = 2048; // a typical sealed FHIR resource
const BATCH = 1000;
const BATCH_RUNS = 5;
const VERIFY_BATCHES = 10;

function records(n: number): BenchRecord[] {
  return Array.from({ length: n }, () => {
    const bytes = randomBytes(CIPHERTEXT_BYTES);
    return { id: crypto.randomUUID(), version: 1, ciphertext: toBase64(bytes), contentHash: contentHash(bytes) };
  });
}

interface Anchored {
  account: string;
  tree: RecordBatch;
  leaves: string[];
  status: RelayStatus;
  ms: number;
}

/** The extension's path for one batch: leaves, padded tree, signature, relayer, confirmed. */
async function anchorThroughRelayer(d: Deployment, relayer: Relayer, chain: JsonRpcProvider, recs: BenchRecord[]): Promise<Anchored> {
  const signer = new Wallet(Wallet.createRandom().privateKey); // a fresh anchoring account: no ETH, signs only
  const now = BigInt((await chain.getBlock('latest'))!.timestamp);
  const started = performance.now();
  const leaves = recs.map((r) => anchorLeaf({ recordId: r.id, version: r.version, contentHash: r.contentHash }));
  const count = paddedCount(leaves.length);
  const tree = buildRecordTree([...leaves, ...paddingLeaves(count - leaves.length)]);
  const td = anchorTypedData(anchorDomain(d.chainId, d.contracts.RecordAnchor), { patient: signer.address, root: tree.root, count: BigInt(count), deadline: now + 600n });
  const sig = await signer.signTypedData(td.domain, td.types, td.message as unknown as Record<string, unknown>);
  const sent = await submitToRelayer(relayer.url, relayRequest('anchorBySig', d.chainId, d.contracts.RecordAnchor, td.message, sig));
  if (!sent.ok) throw new Error(`relayer refused the bench anchor: ${sent.error.message}`);
  for (;;) {
    const r = await relayerStatus(relayer.url, sent.request.id);
    if (r.ok && r.request.status === 'confirmed') return { account: signer.address, tree, leaves, status: r.request, ms: performance.now() - started };
    if (!r.ok || r.request.status === 'failed') throw new Error(`bench anchor failed: ${JSON.stringify(r)}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export async function anchorMetrics(): Promise<Metric[]> {
  const chain = await startLocalChain(await freePort());
  let relayer: Relayer | undefined;
  const provider = new JsonRpcProvider(chain.url, Network.from(31337), { staticNetwork: true, cacheTimeout: -1 });
  try {
    const d = await deployAll(chain.url, { write: false });
    // The status polls (every 10 ms) would hit the per-IP request rate, which guards a public relayer, not this.
    relayer = await startRelayer({ rpcUrl: chain.url, deployment: d, privateKey: hardhatDevKey(19), allowedOrigins: [], policy: { requestsPerIpPerMinute: 100_000 } });
    const reader = new AnchorReader(chain.url, d.chainId, d.contracts.RecordAnchor);

    // anchor.batch_1000_ms, and the batches verify.* reads back (10 × 1,000 records).
    const batches: Array<Anchored & { recs: BenchRecord[] }> = [];
    const samples: number[] = [];
    for (let i = 0; i < VERIFY_BATCHES; i++) {
      const recs = records(BATCH);
      const a = await anchorThroughRelayer(d, relayer, provider, recs);
      if (i >= 1 && i <= BATCH_RUNS) samples.push(a.ms); // run 0 warms up; later runs only fill the 10,000
      batches.push({ ...a, recs });
    }

    // verify.record_ms: what the verifier does for one record.
    const last = batches[batches.length - 1]!;
    const recordSamples: number[] = [];
    for (let i = 0; i < 52; i++) {
      const r = last.recs[(i * 97) % BATCH]!;
      const started = performance.now();
      const { leaf } = recomputeLeaf(r);
      const v = await reader.verify(last.account, leaf, last.tree.proof(leaf));
      if (v.anchoredAt === 0) throw new Error('bench record did not verify');
      if (i >= 2) recordSamples.push(performance.now() - started);
    }

    // verify.all_10k_s: one anchorOf per batch root + off-chain proofs; beside it one verify() per record.
    const items: ManyItem[] = batches.flatMap((b) => b.recs.map((r, i) => ({ record: r, proof: b.tree.proof(b.leaves[i]!), root: b.tree.root, account: b.account })));
    let started = performance.now();
    const all = await verifyMany(reader, items);
    const allS = (performance.now() - started) / 1000;
    if (all.verdicts.some((v) => !v.ok)) throw new Error('a bench record did not verify (batched)');
    started = performance.now();
    const eachOk = await verifyEachOnChain(reader, items);
    const eachS = (performance.now() - started) / 1000;
    if (!eachOk) throw new Error('a bench record did not verify (one call each)');

    const gas = await anchorGas(d, relayer, provider);
    reader.close();
    const gasRow = (n: number): Metric[] => [
      { name: `anchor.bySig_gas.${n}`, value: gas.bySig[n]!, unit: 'gas', goal: '≤ 52,000', ok: gas.bySig[n]! <= 52_000, baseline: { name: `anchor.plain_gas.${n}`, value: gas.plain[n]! } },
    ];
    return [
      { name: 'anchor.batch_1000_ms', value: round(median(samples), 0), unit: 'ms', goal: '≤ 3,000', ok: median(samples) <= 3000 },
      { name: 'verify.record_ms', value: round(median(recordSamples)), unit: 'ms', goal: '≤ 100', ok: median(recordSamples) <= 100 },
      {
        name: 'verify.all_10k_s', value: round(allS), unit: 's',
        baseline: { name: 'verify.all_10k_one_call_each_s', value: round(eachS) },
      },
      { name: 'verify.all_10k_root_lookups', value: all.rootLookups, unit: 'eth_calls', baseline: { name: 'verify.all_10k_one_call_each_calls', value: items.length } },
      ...gasRow(1),
      ...gasRow(1024),
      { name: 'anchor.bySig_gas_via_relayer.1000', value: Math.max(...batches.map((b) => Number(b.status.gasUsed))), unit: 'gas', goal: '≤ 52,000', ok: batches.every((b) => Number(b.status.gasUsed) <= 52_000) },
    ];
  } finally {
    provider.destroy();
    await relayer?.close();
    await chain.stop();
  }
}

/** The naive way: RecordAnchor.verify per record (the provider batches concurrent calls into JSON-RPC batches). */
async function verifyEachOnChain(reader: AnchorReader, items: ManyItem[]): Promise<boolean> {
  let ok = true;
  for (let i = 0; i < items.length; i += 100) {
    const chunk = items.slice(i, i + 100);
    const answers = await Promise.all(chunk.map((it) => reader.verify(it.account, recomputeLeaf(it.record).leaf, it.proof)));
    ok &&= answers.every((a) => a.anchoredAt > 0);
  }
  return ok;
}

/** Gas of the signed anchor through the relayer and of a plain anchor(), for 1 and 1,024 records; the highest of 3 roots each. */
async function anchorGas(d: Deployment, relayer: Relayer, provider: JsonRpcProvider) {
  const funded = new Wallet(hardhatDevKey(2), provider);
  const plain = new Contract(d.contracts.RecordAnchor, RecordAnchorAbi, funded);
  const bySig: Record<number, number> = {};
  const direct: Record<number, number> = {};
  for (const n of [1, 1024]) {
    bySig[n] = 0;
    direct[n] = 0;
    for (let i = 0; i < 3; i++) {
      const a = await anchorThroughRelayer(d, relayer, provider, records(n));
      bySig[n] = Math.max(bySig[n], Number(a.status.gasUsed));
      const count = paddedCount(n);
      const root = buildRecordTree([...records(n).map((r) => anchorLeaf({ recordId: r.id, version: r.version, contentHash: r.contentHash })), ...paddingLeaves(count - n)]).root;
      const receipt = await (await plain.anchor(root, count)).wait();
      direct[n] = Math.max(direct[n], Number(receipt!.gasUsed));
    }
  }
  return { bySig, plain: direct };
}

if (require.main === module) {
  anchorMetrics()
    .then(async (m) => {
      const { toTable } = await import('./metrics');
      console.log(toTable(m));
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
