// The vault's in-memory search index: one small entry per record, derived from its summary and codes.
// It is plaintext health data, so it lives only in memory while the vault is unlocked, or is stored
// encrypted (docs/architecture.md: "the search index" is private at rest). A linear scan with substring matching is
// plenty for a patient's record count (10,000 entries: a few ms) and needs no tokenizer or stemming.
import type { Category } from './categorize.js';
import { asArray, conceptTerms, isObject } from './codes.js';
import { parseFhirDate } from './dates.js';
import { summarize, type Summary } from './summary.js';

export interface IndexEntry {
  /** "Observation/abc": the vault's record id for the resource. */
  id: string;
  resourceType: string;
  category: Category;
  sensitive: Summary['sensitive'];
  /** ISO date as recorded, if any. */
  date?: string;
  /** Milliseconds since the epoch for sorting; NaN-free (undated records sort last). */
  time: number;
  title: string;
  /** Normalized searchable text: lowercase, accents folded, words separated by single spaces. */
  text: string;
}

/** Lowercase and strip accents ("Ortíz" finds "ortiz"), so patients need not type them. */
export function normalize(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Coded fields whose code and display are worth finding ("2345-7", "glucose", "E11.9"). */
const CODED = ['code', 'vaccineCode', 'medicationCodeableConcept', 'type', 'category', 'reasonCode', 'valueCodeableConcept', 'bodySite'];

export function indexEntry(resource: unknown, summary: Summary = summarize(resource)): IndexEntry {
  const r = isObject(resource) ? resource : {};
  const terms: string[] = [summary.title, summary.value ?? '', summary.performer ?? '', summary.interpretation ?? '', summary.status ?? ''];
  for (const d of summary.details) terms.push(d.value);
  // The day, so "2019" or "2019-05" finds records from then.
  if (summary.date) terms.push(summary.date.slice(0, 10));
  for (const f of CODED) for (const cc of asArray(r[f])) terms.push(...conceptTerms(cc));
  for (const c of asArray(r.component)) if (isObject(c)) terms.push(...conceptTerms(c.code));
  const text = normalize([...new Set(terms.filter(Boolean))].join(' '));
  const type = summary.resourceType;
  const entry: IndexEntry = {
    id: `${type}/${typeof r.id === 'string' ? r.id : ''}`,
    resourceType: type,
    category: summary.category,
    sensitive: summary.sensitive,
    time: summary.date ? (parseFhirDate(summary.date)?.time ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY,
    title: summary.title,
    text,
  };
  if (summary.date) entry.date = summary.date;
  return entry;
}

export interface SearchOptions {
  /** Only entries in these categories (all when absent or empty). */
  categories?: readonly Category[];
  /** Inclusive bounds, FHIR / ISO dates ("2020", "2020-03-01"). */
  from?: string;
  to?: string;
  /** Default 'date-desc' (newest first; undated last). */
  sort?: 'date-desc' | 'date-asc';
  limit?: number;
}

/**
 * Every query word must occur in the entry's text (substring, so "gluc" finds glucose and "2345"
 * finds LOINC 2345-7). An empty query lists everything, filtered and sorted.
 */
export function search(entries: readonly IndexEntry[], query: string, opts: SearchOptions = {}): IndexEntry[] {
  const words = normalize(query).split(' ').filter(Boolean);
  const cats = opts.categories && opts.categories.length ? new Set(opts.categories) : undefined;
  const from = opts.from ? parseFhirDate(opts.from)?.time : undefined;
  const to = opts.to ? endOf(opts.to) : undefined;
  const hits: IndexEntry[] = [];
  outer: for (const e of entries) {
    if (cats && !cats.has(e.category)) continue;
    if (from !== undefined && !(e.time >= from)) continue;
    if (to !== undefined && !(e.time <= to)) continue;
    for (const w of words) if (!e.text.includes(w)) continue outer;
    hits.push(e);
  }
  const dir = opts.sort === 'date-asc' ? 1 : -1;
  // Undated entries (time -Infinity) go last in both directions.
  hits.sort((a, b) => {
    const ua = a.time === Number.NEGATIVE_INFINITY;
    const ub = b.time === Number.NEGATIVE_INFINITY;
    if (ua || ub) return ua === ub ? 0 : ua ? 1 : -1;
    return dir * (a.time - b.time);
  });
  return opts.limit !== undefined ? hits.slice(0, opts.limit) : hits;
}

/** Last millisecond a partial date can mean: "2020" → end of 2020, "2020-03" → end of March. */
function endOf(date: string): number | undefined {
  const p = parseFhirDate(date);
  if (!p) return undefined;
  const [y, m, d] = date.split(/[-T]/).map(Number);
  if (date.length === 4) return Date.UTC(y! + 1, 0, 1) - 1;
  if (date.length === 7) return Date.UTC(y!, m!, 1) - 1;
  if (date.length === 10) return Date.UTC(y!, m! - 1, d! + 1) - 1;
  return p.time;
}
