import type { GoneRecord, RecordVerdict, VerifyAllPage } from '../../shared/protocol/ui/anchoring';
import { vaultDb } from '../records/db';
import { openVault } from '../records/open-vault';
import { anchoringAccount } from './account';
import { loadBatches, type AnchorBatch } from './store';
import { missingBatches, verifyRecord, type VerifyContext } from './verify';

/**
 * "Verify all", a page of records at a time (the vault page loops and shows progress). Proofs are
 * checked here and each batch root once on the chain per run; the context lives while pages follow
 * each other (a run starts again at offset 0).
 */
let run: VerifyContext | undefined;

export async function verifyAllPage(offset: number, limit: number): Promise<VerifyAllPage> {
  if (offset === 0 || !run) run = { account: (await anchoringAccount()).address, batches: await loadBatches(), rootTime: new Map() };
  const ctx = run;
  const db = vaultDb();
  const total = await db.records.count();
  const ids = (await db.records.orderBy(':id').offset(offset).limit(limit).primaryKeys()) as string[];
  const { index } = await openVault();
  const problems: VerifyAllPage['problems'] = [];
  const counts: VerifyAllPage['counts'] = {};
  for (const id of ids) {
    const verdict: RecordVerdict = await verifyRecord(id, ctx);
    counts[verdict.state] = (counts[verdict.state] ?? 0) + 1;
    if (verdict.state !== 'unchanged') problems.push({ id, title: index.get(id)?.title ?? 'Untitled record', verdict });
  }
  const done = offset + ids.length >= total;
  const page: VerifyAllPage = { total, checked: ids.length, problems, counts, done };
  if (done) {
    run = undefined;
    const missing = await missingBatches(ctx.batches);
    if (missing.length) page.missing = missing;
    const gone = await anchoredButGone(ctx.batches, (id) => index.get(id)?.title);
    if (gone.length) page.gone = { count: gone.length, records: gone.slice(0, GONE_LISTED) };
  }
  return page;
}

const GONE_LISTED = 50;

/**
 * Records an anchored batch names that the records table no longer holds. SecureMed itself never
 * deletes a record (only erasing the whole vault does, batches included), so each one was removed
 * outside SecureMed — or, on a second device, has not been copied here yet. A deletion is no leaf, so
 * this comes from the vault's own batch rows: it is caught while those rows are there.
 */
export async function anchoredButGone(batches: readonly AnchorBatch[], titleOf: (id: string) => string | undefined): Promise<GoneRecord[]> {
  const held = new Set((await vaultDb().records.toCollection().primaryKeys()) as string[]);
  const gone = new Map<string, GoneRecord>();
  for (const batch of batches) {
    if (batch.state !== 'anchored') continue;
    for (const leaf of batch.leaves) {
      if (held.has(leaf.r) || (gone.get(leaf.r)?.version ?? -1) >= leaf.v) continue;
      const title = titleOf(leaf.r);
      gone.set(leaf.r, { id: leaf.r, version: leaf.v, ...(title ? { title } : {}), blockTime: batch.blockTime, blockNumber: batch.blockNumber });
    }
  }
  return [...gone.values()];
}
