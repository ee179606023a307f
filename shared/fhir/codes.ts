// Small, defensive readers for coded FHIR data. Imported records are untrusted shapes, so every
// helper accepts `unknown` and returns undefined / [] instead of throwing.
import type { CodeableConcept, Coding, Quantity, Reference } from './types.js';

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  diagnosticService: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  usCoreDocumentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
} as const;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray<T = unknown>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  return v === undefined || v === null ? [] : [v as T];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function codings(cc: unknown): Coding[] {
  if (!isObject(cc)) return [];
  return asArray<unknown>((cc as CodeableConcept).coding).filter(isObject) as Coding[];
}

/** The best human label of a CodeableConcept: its text, else the first coding display, else a code. */
export function conceptText(cc: unknown): string | undefined {
  if (!isObject(cc)) return undefined;
  const text = str((cc as CodeableConcept).text);
  if (text) return text;
  const cs = codings(cc);
  return cs.map((c) => str(c.display)).find(Boolean) ?? cs.map((c) => str(c.code)).find(Boolean);
}

/** Every display string of a concept (text + all codings), for search. */
export function conceptTerms(cc: unknown): string[] {
  if (!isObject(cc)) return [];
  const out = [str((cc as CodeableConcept).text)];
  for (const c of codings(cc)) out.push(str(c.display), str(c.code));
  return out.filter((s): s is string => s !== undefined);
}

/** True when a concept has a code or a text a person could read. */
export function hasMeaning(cc: unknown): boolean {
  return conceptText(cc) !== undefined;
}

/** Does any coding of any of the concepts match one of `systems` and satisfy `test(code)`? */
export function anyCode(concepts: unknown, systems: readonly string[] | null, test: (code: string) => boolean): boolean {
  for (const cc of asArray(concepts)) {
    for (const c of codings(cc)) {
      const code = str(c.code);
      if (!code) continue;
      if (systems && !(c.system && systems.includes(c.system))) continue;
      if (test(code)) return true;
    }
  }
  return false;
}

export function referenceDisplay(ref: unknown): string | undefined {
  if (!isObject(ref)) return undefined;
  return str((ref as Reference).display);
}

/** "5.4 mmol/L", "< 0.5 mg/dL". Keeps the number as the source wrote it (JSON number). */
export function formatQuantity(q: unknown): string | undefined {
  if (!isObject(q)) return undefined;
  const { value, comparator, unit, code } = q as Quantity;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const u = str(unit) ?? str(code);
  const c = str(comparator);
  return [c, String(value), u && u !== '1' ? u : undefined].filter(Boolean).join(' ');
}
