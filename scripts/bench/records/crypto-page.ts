// Bundled by esbuild and run in a Chromium page (same WebCrypto engine as the extension): the vault's
// record sealing beside raw AES-256-GCM on the same canonical plaintext bytes, in the same page, same run.
import { canonicalJsonBytes } from '../../../shared/crypto/canonical-json';
import { randomBytes } from '../../../shared/crypto/bytes';
import { RecordLimits } from '../../../shared/protocol/ui/records';
import { sealChunk } from '../../../extension/records/seal';
import { generateCorpus } from '../../../shared/fhir/synthetic';

const PATIENT = '0x00000000000000000000000000000000000000aa';

async function run(n: number, concurrency: number) {
  const records = generateCorpus(n, { seed: 42 });
  const plaintexts = records.map((r) => canonicalJsonBytes(r as never));
  const bytes = plaintexts.reduce((s, p) => s + p.length, 0);
  const inputs = records.map((_, i) => ({ id: crypto.randomUUID(), plaintext: plaintexts[i]! }));
  const vaultKey = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const rawKey = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const time = async (work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    return performance.now() - t0;
  };
  const rawOne = (i: number) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: randomBytes(12) }, rawKey, plaintexts[i]!);
  // Raw, two ways, and the baseline is whichever is faster in this run (never a handicapped raw):
  // `concurrency` operations kept in flight, or chunk-sized bursts as the import issues them.
  const rawPool = () =>
    time(async () => {
      let next = 0;
      const lane = async () => {
        while (next < n) await rawOne(next++);
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
    });
  const chunk = RecordLimits.chunkItems;
  const rawChunks = () =>
    time(async () => {
      for (let s = 0; s < n; s += chunk) await Promise.all(plaintexts.slice(s, s + chunk).map((_, k) => rawOne(s + k)));
    });
  // The vault's own sealing, exactly as the import calls it (extension/records/seal.ts sealChunk, one
  // import chunk of RecordLimits.chunkItems records at a time): per record a fresh DEK, AES-256-GCM with
  // the record AAD and the SHA-256 content hash; per chunk one key batch wrapping its DEKs under the vault
  // key. Only canonical JSON serialization is outside both loops.
  const keys = { patient: PATIENT, dekWrap: vaultKey };
  const ours = () =>
    time(async () => {
      for (let s = 0; s < n; s += chunk) await sealChunk(keys, inputs.slice(s, s + chunk));
    });
  await rawPool(); // warm-up every path (JIT, key schedule caches)
  await rawChunks();
  await ours();
  let rawMs = Infinity;
  let oursMs = Infinity;
  for (let round = 0; round < 3; round++) {
    // Interleaved rounds, best of each: the machine is shared, so a slow moment should not land on one side.
    rawMs = Math.min(rawMs, await rawPool(), await rawChunks());
    oursMs = Math.min(oursMs, await ours());
  }
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  return { n, avgBytes: Math.round(bytes / n), rawMBps: mbps(rawMs), oursMBps: mbps(oursMs), rawMs, oursMs };
}

(globalThis as unknown as { runCryptoBench: typeof run }).runCryptoBench = run;
