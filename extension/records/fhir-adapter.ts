// The vault's one seam to shared/fhir: validation, document wrapping, keyed de-dup, display fields.
import { fromBase64 } from '../../shared/crypto/bytes';
import { dedupeKey } from '../../shared/fhir/dedupe';
import { wrapDocument } from '../../shared/fhir/document';
import { importEntries, type ImportEntry } from '../../shared/fhir/import';
import type { ImportItem, ReadableView } from '../../shared/protocol/ui/records';
import { indexEntry } from '../../shared/fhir/search-index';
import { summarize } from '../../shared/fhir/summary';
import type { StoredEntry } from './entry';

export type Prepared = { ok: true; resource: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Validate a chunk (the page already split files into entries; we check every entry again here, the
 * background trusts no message). PDFs/images are recognised by their bytes and wrapped here.
 */
export async function prepareItems(items: ImportItem[]): Promise<Prepared[]> {
  const out: Prepared[] = new Array(items.length);
  const entries: ImportEntry[] = [];
  items.forEach((item, index) => {
    if (item.kind === 'file') {
      const wrapped = wrapDocument({ bytes: fromBase64(item.data), filename: item.name, mimeType: item.contentType });
      out[index] = wrapped.ok ? { ok: true, resource: wrapped.resource } : { ok: false, reason: wrapped.reason };
    } else {
      entries.push({ index, value: item.resource, fullUrl: item.fullUrl });
    }
  });
  // Validation only: a chunk is ≤ 500 entries, and the worker has no UI to keep responsive.
  const report = await importEntries(entries, { chunkSize: entries.length || 1, yieldFn: async () => undefined });
  for (const o of report.outcomes) out[o.index] = o.ok ? { ok: true, resource: o.resource } : { ok: false, reason: o.reason };
  return out;
}

export function dedupKeyOf(key: Uint8Array, resource: Record<string, unknown>): string {
  return dedupeKey(key, resource);
}

/** The index entry of a validated resource (shared/fhir's summary + search fields). */
export function describe(resource: Record<string, unknown>): Omit<StoredEntry, 'id' | 'h'> {
  const summary = summarize(resource);
  const { id: _fhirId, ...entry } = indexEntry(resource, summary);
  const detail = [summary.value, summary.status].filter(Boolean).join(' · ') || undefined;
  return { ...entry, detail };
}

// Declared with the request that answers it (shared/protocol/ui/records.ts).
export type { ReadableView } from '../../shared/protocol/ui/records';

/** The detail view's fields, in the order a patient reads them; only what the record has. */
export function readable(resource: unknown): ReadableView {
  const s = summarize(resource);
  const fields: ReadableView['fields'] = [];
  const add = (label: string, value: string | undefined) => value && fields.push({ label, value });
  add('Result', s.value);
  add('Reference range', s.referenceRange);
  add('Interpretation', s.interpretation);
  add('Status', s.status);
  add('Date', s.date);
  add('Performed by', s.performer);
  for (const d of s.details) add(d.label, d.value);
  return { title: s.title, fields };
}
