// Checking many records at once (a whole export, or the bench's 10,000): every record's leaf is
// recomputed from its ciphertext and its proof walked OFF chain to its batch root; the chain is then
// asked once per distinct (account, root) with RecordAnchor.anchorOf, instead of one verify() eth_call
// per record. Same guarantee — the contract's verify() is exactly "walk the proof, look the root up" —
// with ~100 reads for 100 batches instead of 10,000.
import { verifyRecordProof } from '../../shared/chain/merkle';
import type { AnchorReader } from './chain';
import { recomputeLeaf } from './offline';

export interface ManyItem {
  record: { id: string; version: number; ciphertext: string };
  proof: readonly string[];
  root: string;
  account: string;
}

export type ManyVerdict = { ok: true; anchoredAt: number } | { ok: false; why: 'changed-or-wrong-proof' | 'unknown-root' };

/** Lookups in flight at once: enough to hide the round trip, few enough not to flood a public RPC. */
const LOOKUP_LANES = 8;

export async function verifyMany(reader: AnchorReader, items: readonly ManyItem[]): Promise<{ verdicts: ManyVerdict[]; rootLookups: number }> {
  const fits = items.map((it) => verifyRecordProof(it.root, recomputeLeaf(it.record).leaf, it.proof));
  const keys = [...new Set(items.filter((_, i) => fits[i]).map((it) => `${it.account.toLowerCase()}:${it.root}`))];
  const anchoredAt = new Map<string, number>();
  let next = 0;
  const lane = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const [account, root] = key.split(':') as [string, string];
      anchoredAt.set(key, (await reader.anchorOf(account, root)).anchoredAt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_LANES, keys.length) }, lane));
  const verdicts = items.map((it, i): ManyVerdict => {
    if (!fits[i]) return { ok: false, why: 'changed-or-wrong-proof' };
    const at = anchoredAt.get(`${it.account.toLowerCase()}:${it.root}`) ?? 0;
    return at > 0 ? { ok: true, anchoredAt: at } : { ok: false, why: 'unknown-root' };
  });
  return { verdicts, rootLookups: keys.length };
}
