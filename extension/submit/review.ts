import type { SubmitReviewItem } from '../../shared/protocol/ui/submit';
import { vaultDb } from '../records/db';
import { dedupKeyOf, describe, readable } from '../records/fhir-adapter';
import type { RecordKeys } from '../records/vault-keys';
import type { ValidEntry } from './entries';

/**
 * The review window's view of a submission, built with the vault's own summary code (records/
 * fhir-adapter.ts: the title, category, date and readable fields a stored record's detail shows), and
 * which entries are already in the vault.
 *
 * Duplicates: the vault's keyed content hash (shared/fhir/dedupe.ts, the rule every import uses):
 * the same resource content, whatever its id or meta.lastUpdated, is the same record. That is what a
 * patient expects of a portal that sends the same lab result twice; a corrected result (other value or
 * status) is new content and is offered again. Two equal entries in one submission: the second is a
 * duplicate of the first.
 */
export interface Reviewed extends ValidEntry {
  dedupKey: string;
  duplicate: boolean;
}

const CATEGORY_WORDS: Record<string, string> = {
  labs: 'Lab result', vitals: 'Vital sign', medications: 'Medicine', conditions: 'Health condition',
  allergies: 'Allergy', immunizations: 'Vaccination', procedures: 'Procedure', documents: 'Document',
  notes: "Doctor's note", encounters: 'Visit', imaging: 'Scan or X-ray', demographics: 'About you', other: 'Record',
};
const SENSITIVE_WORDS: Record<string, string> = { 'mental-health': 'mental health', reproductive: 'sexual and reproductive health', 'substance-use': 'alcohol and drug use' };

export async function markDuplicates(keys: RecordKeys, entries: readonly ValidEntry[]): Promise<Reviewed[]> {
  const withKeys = entries.map((e) => ({ ...e, dedupKey: dedupKeyOf(keys.dedup, e.resource) }));
  const stored = new Set((await vaultDb().records.where('dedupKey').anyOf(withKeys.map((e) => e.dedupKey)).toArray()).map((r) => r.dedupKey));
  const seen = new Set<string>();
  return withKeys.map((e) => {
    const duplicate = stored.has(e.dedupKey) || seen.has(e.dedupKey);
    seen.add(e.dedupKey);
    return { ...e, duplicate };
  });
}

export function reviewItem(entry: Reviewed): SubmitReviewItem {
  const shown = describe(entry.resource);
  const view = readable(entry.resource);
  const date = dateWords(shown.date);
  return {
    index: entry.index,
    title: shown.title,
    category: CATEGORY_WORDS[shown.category] ?? 'Record',
    ...(date ? { date } : {}),
    // The date is shown beside the title already; every other field as the record's detail shows it.
    fields: view.fields.filter((f) => f.label !== 'Date').map((f) => ({ label: f.label, value: dateWords(f.value) ?? f.value })).slice(0, 8),
    sensitive: shown.sensitive.map((s) => SENSITIVE_WORDS[s] ?? s),
    duplicate: entry.duplicate,
  };
}

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}:\d{2})[\d:.]*(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** "12 March 2024" (a FHIR date or dateTime, partial ones too; ", 09:30" when a time is given); undefined for anything else. */
export function dateWords(value: string | undefined): string | undefined {
  const m = value ? FHIR_DATE.exec(value) : null;
  if (!m) return undefined;
  const [, y, mo, d, time] = m;
  const day = new Date(Date.UTC(Number(y), mo ? Number(mo) - 1 : 0, d ? Number(d) : 1));
  const words = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', ...(mo ? { month: 'long' } : {}), ...(d ? { day: 'numeric' } : {}) }).format(day);
  return time && time !== '00:00' ? `${words}, ${time}` : words;
}
