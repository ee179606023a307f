import type { Category } from '../../shared/fhir/categorize';
import { search } from '../../shared/fhir/search-index';
import type { StoredEntry } from './entry';

/**
 * The decrypted index, in worker memory only while the vault is unlocked. Kept sorted newest first so
 * an unfiltered timeline page is a slice; a category filter or a search is shared/fhir's linear scan
 * over 10,000 small entries (a few ms).
 */
// Plain comparisons (no localeCompare): sorting 10,000 entries happens on every unlock.
const newestFirst = (a: StoredEntry, b: StoredEntry) =>
  a.time !== b.time ? (a.time < b.time ? 1 : -1) : a.title !== b.title ? (a.title < b.title ? -1 : 1) : a.id < b.id ? -1 : 1;

export class MemoryIndex {
  private sorted: StoredEntry[] = [];
  private readonly byId = new Map<string, StoredEntry>();

  constructor(entries: StoredEntry[], readonly damagedChunks = 0) {
    this.add(entries);
  }

  get size(): number {
    return this.sorted.length;
  }

  get(id: string): StoredEntry | undefined {
    return this.byId.get(id);
  }

  add(entries: StoredEntry[]): void {
    for (const e of entries) {
      if (this.byId.has(e.id)) continue;
      this.byId.set(e.id, e);
      this.sorted.push(e);
    }
    this.sorted.sort(newestFirst);
  }

  all(): readonly StoredEntry[] {
    return this.sorted;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.sorted) out[e.category] = (out[e.category] ?? 0) + 1;
    return out;
  }

  /** Timeline order, in `category` (if given), containing every word of `query` (if given). */
  filter(category: Category | undefined, query: string | undefined): readonly StoredEntry[] {
    if (!category && !query?.trim()) return this.sorted;
    return search(this.sorted, query ?? '', { categories: category ? [category] : undefined }) as StoredEntry[];
  }
}
