import type { ListPage, RecordsSummary } from '../../../shared/protocol/ui/records';
import type { VaultState } from '../../../shared/protocol/ui/vault';
import { ask } from '../../ui/messenger';

/**
 * The three questions the vault tab asks on opening, sent at once when the script starts (before the
 * first render) instead of one after another as components mount: opening 10,000 records is then one
 * round trip to a worker that already holds the decrypted index. Each answer is used once.
 */
export const FIRST_PAGE = 50;

// Lets the bench tell Chromium's page start-up apart from SecureMed's own work (scripts/bench/records.ts).
performance.mark('securemed-vault-script');

let state: Promise<VaultState> | undefined = ask({ type: 'vault.state' });
let summary: Promise<RecordsSummary> | undefined = ask({ type: 'records.summary' });
let page: Promise<ListPage> | undefined = ask({ type: 'records.list', offset: 0, limit: FIRST_PAGE });
// A locked vault refuses the record questions: forget those answers so that after unlocking the
// components ask again instead of showing the stale refusal.
summary.catch(() => (summary = undefined));
page.catch(() => (page = undefined));

function once<T>(p: Promise<T> | undefined, fresh: () => Promise<T>): Promise<T> {
  return p ?? fresh();
}

export function vaultState(): Promise<VaultState> {
  const p = state;
  state = undefined;
  return once(p, () => ask({ type: 'vault.state' }));
}

export function recordsSummary(): Promise<RecordsSummary> {
  const p = summary;
  summary = undefined;
  return once(p, () => ask({ type: 'records.summary' }));
}

/** The unfiltered first page; the prefetched one only the first time. */
export function firstListPage(): Promise<ListPage> {
  const p = page;
  page = undefined;
  return once(p, () => ask({ type: 'records.list', offset: 0, limit: FIRST_PAGE }));
}
