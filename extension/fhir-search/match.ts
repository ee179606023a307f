import { normalize } from '../../shared/fhir/search-index';
import { parseFhirDate } from '../../shared/fhir/dates';
import { asArray, codings, isObject } from '../../shared/fhir/codes';
import type { Category } from '../../shared/fhir/categorize';
import { dateMatches, type SearchQuery, type Token } from './query';

/**
 * The query's filters, in two steps. `entryMatches` works on the decrypted index (type, clinical
 * date, and cheap necessary conditions for code and category), so only candidates are decrypted;
 * `resourceMatches` decides on the resource itself (code systems, category codings, meta.lastUpdated).
 */
export interface IndexView {
  resourceType: string;
  category: Category;
  time: number;
  text: string;
}

/** FHIR category codes whose display category the index already knows. Others are checked after decrypting. */
const CATEGORY_CODES: Record<string, Category> = {
  laboratory: 'labs', 'vital-signs': 'vitals', imaging: 'imaging', LAB: 'labs', RAD: 'imaging', 'clinical-note': 'notes',
  'problem-list-item': 'conditions', 'encounter-diagnosis': 'conditions', 'health-concern': 'conditions',
};

export function entryMatches(e: IndexView, q: SearchQuery): boolean {
  if (q.types && !q.types.has(e.resourceType)) return false;
  for (const b of q.date) if (!dateMatches(e.time, b)) return false;
  // The index text holds every code of the coded fields, normalised: a code absent there cannot match.
  if (q.codes && !q.codes.some((t) => e.text.includes(normalize(t.code)))) return false;
  if (q.categories) {
    const known = q.categories.map((t) => CATEGORY_CODES[t.code]);
    if (known.every(Boolean) && !known.includes(e.category)) return false;
  }
  return true;
}

/** Coded fields that `code` searches, per R4 (Immunization.vaccine-code, Medication*.code, …). */
const CODE_FIELDS = ['code', 'vaccineCode', 'medicationCodeableConcept', 'type'];

function tokenMatches(concepts: unknown[], tokens: readonly Token[]): boolean {
  for (const cc of concepts) {
    for (const c of codings(cc)) {
      for (const t of tokens) {
        if (c.code !== t.code) continue;
        if (t.system === undefined || (t.system === '' ? c.system === undefined : c.system === t.system)) return true;
      }
    }
  }
  return false;
}

export function resourceMatches(resource: unknown, q: SearchQuery): boolean {
  if (!isObject(resource)) return false;
  if (q.codes) {
    const concepts = CODE_FIELDS.flatMap((f) => asArray(resource[f]));
    if (!tokenMatches(concepts, q.codes)) return false;
  }
  if (q.categories && !tokenMatches(asArray(resource.category), q.categories)) return false;
  if (q.lastUpdated.length) {
    const meta = isObject(resource.meta) ? resource.meta : {};
    const at = parseFhirDate(meta.lastUpdated)?.time ?? Number.NaN;
    for (const b of q.lastUpdated) if (!dateMatches(at, b)) return false;
  }
  return true;
}
