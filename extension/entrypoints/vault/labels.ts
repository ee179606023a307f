import type { Category as RecordCategory } from '../../../shared/fhir/categorize';

/** Patient-facing names of the record categories, in the order the filter chips show them. */
export const CATEGORY_LABELS: Record<RecordCategory, string> = {
  labs: 'Lab results',
  vitals: 'Vital signs',
  medications: 'Medications',
  conditions: 'Conditions',
  allergies: 'Allergies',
  immunizations: 'Immunizations',
  procedures: 'Procedures',
  documents: 'Documents',
  notes: 'Notes',
  encounters: 'Visits',
  imaging: 'Imaging',
  demographics: 'About you',
  other: 'Other',
};

/** Always offered as filters; the others appear only when the vault has such records. */
export const MAIN_CATEGORIES = new Set<string>(['labs', 'vitals', 'medications', 'conditions', 'allergies', 'immunizations', 'procedures', 'documents', 'notes']);

export const categoryLabel = (c: string) => CATEGORY_LABELS[c as RecordCategory] ?? 'Other';

/** "12 March 2024" (or "March 2024" / "2024" for partial FHIR dates); undefined stays undefined. */
export function formatDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), mo ? Number(mo) - 1 : 0, d ? Number(d) : 1));
  const opts: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric', ...(mo ? { month: 'long' } : {}), ...(d ? { day: 'numeric' } : {}) };
  return new Intl.DateTimeFormat('en-GB', opts).format(date);
}

/** A FHIR date or dateTime for reading: "10 October 2024, 22:32" (UTC times shown as recorded). */
export function formatDateTime(iso: string): string {
  const day = formatDate(iso) ?? iso;
  const time = /T(\d{2}:\d{2})/.exec(iso)?.[1];
  return time && time !== '00:00' ? `${day}, ${time}` : day;
}

const FHIR_DATE = /^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
/** Field values that are FHIR dates are shown as dates; anything else as is. */
export const readableValue = (v: string) => (FHIR_DATE.test(v) ? formatDateTime(v) : v);
