import type { IndexEntry } from '../../shared/fhir/search-index';

/**
 * One search-index entry as the vault keeps it (encrypted at rest, plain only in worker memory):
 * shared/fhir's IndexEntry (title, category, sensitive flags, date, sort time, search text) with the
 * vault's record id in place of the FHIR id, plus what the list shows and what a restore checks.
 */
export interface StoredEntry extends IndexEntry {
  /** The vault's record id (RecordRow.id), not "Type/fhirId". */
  id: string;
  /** The row's content hash: lets a restore check that a backed-up row is the one the index describes. */
  h: string;
  /** One short line under the title: value + unit, status. */
  detail?: string;
}

/** JSON has no -Infinity (undated records): it comes back as null and is put back on load. */
export function revive(entries: StoredEntry[]): StoredEntry[] {
  for (const e of entries) if (typeof e.time !== 'number') e.time = Number.NEGATIVE_INFINITY;
  return entries;
}
