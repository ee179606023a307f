import { useEffect, useState } from 'preact/hooks';
import { CATEGORIES as RECORD_CATEGORIES, type Category as RecordCategory } from '../../../shared/fhir/categorize';
import type { ListEntry, ListPage } from '../../../shared/protocol/ui/records';
import { ask } from '../../ui/messenger';
import { CATEGORY_LABELS, categoryLabel, formatDate, MAIN_CATEGORIES } from './labels';
import { FIRST_PAGE, firstListPage } from './prefetch';

const PAGE = FIRST_PAGE;

/**
 * The timeline: newest first, grouped by date, one page at a time (10,000 records never render at once).
 * Filter chips are toggle buttons (aria-pressed); search is a labelled field; both ask the background,
 * which filters its in-memory index.
 */
export function RecordBrowser(props: { total: number; counts: Record<string, number>; selected?: string; onOpen(id: string): void }) {
  const [category, setCategory] = useState<RecordCategory>();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState<ListPage>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const unfiltered = !category && !query.trim();
      (unfiltered ? firstListPage() : ask({ type: 'records.list', category, query: query.trim() || undefined, offset: 0, limit: PAGE })).then(
        (p) => live && (setPage(p), setError(undefined)),
        (e: Error) => live && setError(e.message),
      );
    }, query ? 150 : 0);
    // (the first, unfiltered page was asked for when the page script started: see prefetch.ts)
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [category, query]);

  const more = async () => {
    if (!page) return;
    const next = await ask({ type: 'records.list', category, query: query.trim() || undefined, offset: page.entries.length, limit: PAGE });
    setPage({ total: next.total, entries: [...page.entries, ...next.entries] });
  };

  return (
    <section class="sm-card sm-stack browser" aria-labelledby="records-title">
      <h2 id="records-title">Your records <span class="sm-hint">({props.total.toLocaleString()})</span></h2>
      <div class="chips" role="group" aria-label="Show only">
        <button class="chip" aria-pressed={!category} onClick={() => setCategory(undefined)}>All</button>
        {RECORD_CATEGORIES.filter((c) => MAIN_CATEGORIES.has(c) || props.counts[c]).map((c) => (
          <button key={c} class="chip" aria-pressed={category === c} onClick={() => setCategory(category === c ? undefined : c)}>
            {CATEGORY_LABELS[c]} <span class="chip-count">{(props.counts[c] ?? 0).toLocaleString()}</span>
          </button>
        ))}
      </div>
      <div class="sm-field">
        <label for="record-search">Search your records</label>
        <input id="record-search" class="sm-input" type="search" value={query} placeholder="e.g. cholesterol, penicillin, 2023" onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
      </div>
      {error && <p class="sm-alert" role="alert">{error}</p>}
      {page && <p class="sm-hint" role="status" data-testid="list-count">{page.total.toLocaleString()} {page.total === 1 ? 'record' : 'records'}{category || query ? ' match' : ''}</p>}
      {page && <Timeline entries={page.entries} selected={props.selected} onOpen={props.onOpen} />}
      {page && page.entries.length < page.total && (
        <button class="sm-button" onClick={more}>Show more</button>
      )}
      {page?.total === 0 && props.total === 0 && <p class="sm-muted">No records yet. Add your first files above.</p>}
    </section>
  );
}

function Timeline({ entries, selected, onOpen }: { entries: ListEntry[]; selected?: string; onOpen(id: string): void }) {
  const groups: Array<{ label: string; items: ListEntry[] }> = [];
  for (const e of entries) {
    const label = formatDate(e.date?.slice(0, 10)) ?? 'No date';
    if (groups.at(-1)?.label !== label) groups.push({ label, items: [] });
    groups.at(-1)!.items.push(e);
  }
  return (
    <div class="timeline" data-testid="timeline">
      {groups.map((g, i) => (
        <section key={`${g.label}-${i}`} aria-label={g.label}>
          <h3 class="timeline-date">{g.label}</h3>
          <ul class="sm-list">
            {g.items.map((e) => (
              <li key={e.id}>
                <button class={`record-row${selected === e.id ? ' selected' : ''}`} aria-current={selected === e.id} data-record-id={e.id} onClick={() => onOpen(e.id)}>
                  <span class="record-title">{e.title}</span>
                  <span class={`cat cat-${e.category}`}>{categoryLabel(e.category)}</span>
                  {e.detail && <span class="record-detail">{e.detail}</span>}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
