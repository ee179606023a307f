// Bundled by esbuild and run in a Chromium page (same WebCrypto engine as the extension): the vault's
// record sealing (fresh DEK → AES-256-GCM with AAD → content hash → DEK wrap under the vault key) beside
// raw AES-256-GCM on the same canonical plaintext bytes, in the same page, same run.
import { canonicalJsonBytes } from '../../../shared/crypto/canonical-json';
import { randomBytes } from '../../../shared/crypto/bytes';
import { sealBytes } from '../../../extension/records/seal';
import { generateCorpus } from '../../../shared/fhir/synthetic';

const PATIENT = '0x00000000000000000000000000000000000000aa';

async function run(n: number, concurrency: number) {
  const records = generateCorpus(n, { seed: 42 });
  const plaintexts = records.map((r) => canonicalJsonBytes(r as never));
  const bytes = plaintexts.reduce((s, p) => s + p.length, 0);
  const ids = records.map(() => crypto.randomUUID());
  const vaultKey = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const rawKey = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);

  // Both loops keep `concurrency` operations in flight, as the vault's import does within a chunk.
  const pool = async (work: (i: number) => Promise<unknown>) => {
    let next = 0;
    const lane = async () => {
      while (next < n) await work(next++);
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, lane));
    return performance.now() - t0;
  };
  const raw = () => pool((i) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: randomBytes(12) }, rawKey, plaintexts[i]!));
  // The vault's own sealing (extension/records/seal.ts): fresh DEK, AES-256-GCM with the record AAD,
  // SHA-256 content hash, DEK wrapped under the vault key. Serialization is outside both loops.
  const keys = { patient: PATIENT, dekWrap: vaultKey };
  const ours = () => pool((i) => sealBytes(keys, ids[i]!, plaintexts[i]!));
  await raw(); // warm-up both paths (JIT, key schedule caches)
  await ours();
  const rawMs = Math.min(await raw(), await raw());
  const oursMs = Math.min(await ours(), await ours());
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  return { n, avgBytes: Math.round(bytes / n), rawMBps: mbps(rawMs), oursMBps: mbps(oursMs), rawMs, oursMs };
}

(globalThis as unknown as { runCryptoBench: typeof run }).runCryptoBench = run;
