// Validation of one FHIR R4 resource for import into the vault. Deliberately minimal: we check what the
// vault needs to store, categorize and show a record (a supported type, something readable to show, a
// status where R4 makes it mandatory, dates that are real dates, a bounded size) and nothing a real EHR
// export commonly gets wrong without harm. Unknown fields are kept (FHIR allows extensions), so the
// zod schemas are loose objects. Every rejection carries a machine code and a sentence for the patient.
import { z } from 'zod';
import { hasMeaning, isObject } from './codes.js';
import { parseFhirDate } from './dates.js';
import { formatBytes, resolveLimits, utf8Length, type ImportLimits } from './limits.js';
import type { FhirResource } from './types.js';

/**
 * Resource types the vault stores: exactly those the consent layer can put in a category
 * (shared/chain/scopes.ts), so every accepted record can be granted and revoked. Add a type there first.
 */
export const IMPORTABLE_TYPES = [
  'Observation', 'DiagnosticReport', 'ImagingStudy', 'Condition', 'AllergyIntolerance', 'Immunization',
  'Procedure', 'Medication', 'MedicationStatement', 'MedicationRequest', 'MedicationAdministration',
  'MedicationDispense', 'DocumentReference', 'Binary', 'Composition', 'ClinicalImpression', 'Encounter',
  'Patient',
] as const;
export type ImportableType = (typeof IMPORTABLE_TYPES)[number];
const IMPORTABLE = new Set<string>(IMPORTABLE_TYPES);

/** Valid FHIR types we do not keep as records of their own, so the message can say so. */
const KNOWN_NOT_STORED = new Set([
  'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Provenance', 'OperationOutcome',
  'CarePlan', 'CareTeam', 'Goal', 'ServiceRequest', 'Coverage', 'Claim', 'ExplanationOfBenefit',
  'Device', 'Specimen', 'RelatedPerson', 'Questionnaire', 'QuestionnaireResponse', 'Appointment',
  'Schedule', 'Slot', 'Task', 'Communication', 'Consent', 'FamilyMemberHistory', 'RiskAssessment',
]);

export type RejectCode =
  | 'not-json' | 'not-an-object' | 'missing-resource-type' | 'unknown-resource-type'
  | 'unsupported-resource-type' | 'nested-bundle' | 'bad-id' | 'missing-status' | 'missing-code'
  | 'missing-field' | 'bad-date' | 'bad-attachment' | 'bad-structure' | 'too-large'
  | 'unsupported-bundle' | 'no-resource' | 'unsupported-file' | 'file-too-large' | 'too-many-entries';

export type ValidationResult =
  | { ok: true; resource: FhirResource }
  | { ok: false; code: RejectCode; reason: string };

const reject = (code: RejectCode, reason: string): ValidationResult => ({ ok: false, code, reason });

// --- zod building blocks (loose: unknown fields allowed; bounded: strings we read have a max) ---------
const text = (max = 10_000) => z.string().trim().min(1).max(max);
const Coding = z.looseObject({ system: z.string().max(1024).optional(), code: z.string().max(1024).optional(), display: z.string().max(10_000).optional() });
const Concept = z.looseObject({ text: z.string().max(10_000).optional(), coding: z.array(Coding).max(100).optional() });
/**
 * A CodeableConcept R4 accepts where one is required (1..1): it has some content (ele-1), a text or a
 * coding with a system, code or display. A coding with only a system is valid R4 and is kept; the
 * summary falls back to the record type for its title.
 */
const Present = Concept.refine((cc) => hasMeaning(cc) || (cc.coding ?? []).some((c) => !!(c.system || c.code || c.display)));
/** R4 Reference: a literal `reference`, a logical `identifier`, or only a `display` (all three optional, one present). */
const Ref = z.looseObject({
  reference: z.string().max(4096).optional(),
  identifier: z.looseObject({ system: z.string().max(1024).optional(), value: z.string().max(1024).optional() }).optional(),
  display: z.string().max(10_000).optional(),
}).refine((r) => r.reference !== undefined || r.identifier !== undefined || r.display !== undefined);
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;
/**
 * R4 Attachment: inline `data`, a `url` (by reference only: nothing is fetched at import), or only
 * metadata (a title, a content type); every field is optional in R4, one must be present (ele-1).
 */
const Attachment = z.looseObject({
  contentType: z.string().max(255).optional(),
  data: z.string().optional(),
  url: z.string().max(4096).optional(),
  title: z.string().max(10_000).optional(),
}).refine((a) => Object.keys(a).length > 0);

/** Structure every resource must have, whatever its type. */
const Base = z.looseObject({
  resourceType: z.string(),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).optional(),
  meta: z.looseObject({ security: z.array(Coding).max(100).optional(), tag: z.array(Coding).max(100).optional() }).optional(),
  text: z.looseObject({ div: z.string().optional() }).optional(),
});

interface Rule {
  code: RejectCode;
  reason: string;
  schema: z.ZodType;
}
const must = (field: string, schema: z.ZodType, code: RejectCode, reason: string): Rule => ({
  code, reason, schema: z.looseObject({ [field]: schema }),
});
const status = (what: string, why: string) =>
  must('status', text(64), 'missing-status', `${what} without a status: we can't tell ${why}.`);
const medication = (what: string): Rule => ({
  code: 'missing-code',
  reason: `${what} without a medicine name: we can't tell which medicine it is.`,
  schema: z.union([z.looseObject({ medicationCodeableConcept: Present }), z.looseObject({ medicationReference: Ref })]),
});

// What R4 itself requires (1..1) of each type, nothing more: every valid R4 resource of these types
// must import. Optional in R4 (Condition.code, AllergyIntolerance.code, Procedure.code, Medication.code)
// means optional here; the summary then names the record by its type.
const RULES: Record<ImportableType, Rule[]> = {
  Observation: [
    must('code', Present, 'missing-code', "Observation without a code: we can't tell what was measured."),
    status('Observation', 'whether the result is final'),
  ],
  DiagnosticReport: [
    must('code', Present, 'missing-code', "Report without a code: we can't tell what kind of report it is."),
    status('Report', 'whether it is final'),
  ],
  ImagingStudy: [status('Imaging study', 'whether it is complete')],
  Condition: [],
  AllergyIntolerance: [],
  Immunization: [
    must('vaccineCode', Present, 'missing-code', "Immunization without a vaccine code: we can't tell which vaccine was given."),
    status('Immunization', 'whether the vaccine was given'),
    {
      code: 'missing-field',
      reason: "Immunization without a date: we can't tell when the vaccine was given.",
      schema: z.union([z.looseObject({ occurrenceDateTime: z.string() }), z.looseObject({ occurrenceString: text() })]),
    },
  ],
  Procedure: [status('Procedure', 'whether it was done')],
  Medication: [],
  MedicationStatement: [medication('Medication record'), status('Medication record', 'whether you still take it')],
  MedicationRequest: [
    medication('Prescription'),
    status('Prescription', 'whether it is active'),
    must('intent', text(64), 'missing-field', "Prescription without an intent: we can't tell whether it was ordered or only proposed."),
  ],
  MedicationAdministration: [medication('Medication record'), status('Medication record', 'whether it was given')],
  MedicationDispense: [medication('Dispensing record'), status('Dispensing record', 'whether it was handed out')],
  DocumentReference: [
    status('Document', 'whether it is current'),
    must('content', z.array(z.looseObject({ attachment: Attachment })).min(1).max(100), 'missing-field',
      'Document without any content: there is nothing to show.'),
  ],
  Binary: [must('contentType', text(255), 'missing-field', "File without a content type: we can't tell how to show it.")],
  Composition: [
    status('Clinical document', 'whether it is final'),
    must('type', Present, 'missing-code', "Clinical document without a type: we can't tell what kind of document it is."),
  ],
  ClinicalImpression: [status('Clinical assessment', 'whether it is complete')],
  Encounter: [status('Visit', 'whether it took place')],
  Patient: [],
};

/** Top-level date fields (and Period fields) any supported type may carry; each present one must parse. */
const DATE_FIELDS = [
  'effectiveDateTime', 'effectiveInstant', 'issued', 'onsetDateTime', 'abatementDateTime', 'recordedDate',
  'authoredOn', 'occurrenceDateTime', 'performedDateTime', 'date', 'birthDate', 'lastOccurrence',
  'dateAsserted', 'started', 'whenHandedOver',
];
const PERIOD_FIELDS = ['effectivePeriod', 'performedPeriod', 'period', 'onsetPeriod'];

function checkDates(r: Record<string, unknown>): ValidationResult | undefined {
  const bad = (field: string, value: unknown) =>
    reject('bad-date', `${r.resourceType} has a date we can't read (${field}: "${String(value).slice(0, 40)}"), so we can't place it on your timeline.`);
  for (const f of DATE_FIELDS) if (r[f] !== undefined && !parseFhirDate(r[f])) return bad(f, r[f]);
  for (const f of PERIOD_FIELDS) {
    const p = r[f];
    if (p === undefined) continue;
    if (!isObject(p)) return bad(f, JSON.stringify(p));
    for (const k of ['start', 'end']) if (p[k] !== undefined && !parseFhirDate(p[k])) return bad(`${f}.${k}`, p[k]);
  }
  return undefined;
}

/** Valid FHIR resourceType spelling (used for "unknown" vs "not a FHIR resource" messages). */
const TYPE_NAME = /^[A-Z][A-Za-z]{1,63}$/;

export function validateResource(input: unknown, limits?: Partial<ImportLimits>): ValidationResult {
  const lim = resolveLimits(limits);
  if (!isObject(input)) return reject('not-an-object', "This entry isn't a FHIR record (it is not a JSON object).");
  const type = input.resourceType;
  if (typeof type !== 'string' || type === '') {
    return reject('missing-resource-type', "This entry has no resourceType, so we can't tell what kind of record it is.");
  }
  if (type === 'Bundle') return reject('nested-bundle', 'A bundle inside a bundle: import that bundle file on its own.');
  if (!IMPORTABLE.has(type)) {
    if (KNOWN_NOT_STORED.has(type)) {
      return reject('unsupported-resource-type', `A ${type} entry gives context (who, where, plans or billing), not a health record SecureMed keeps on its own, so it was skipped.`);
    }
    return reject('unknown-resource-type', TYPE_NAME.test(type)
      ? `This entry is a "${type}", which isn't a kind of health record SecureMed can store.`
      : "This entry's resourceType isn't a FHIR resource type we recognize.");
  }

  // Size first: it bounds the work every later check does.
  let bytes: number;
  try {
    bytes = utf8Length(JSON.stringify(input));
  } catch {
    return reject('bad-structure', `This ${type} can't be read as JSON data.`);
  }
  const hasDocument = type === 'DocumentReference' || type === 'Binary';
  const max = hasDocument ? lim.maxDocumentResourceBytes : lim.maxResourceBytes;
  if (bytes > max) {
    return reject('too-large', `This ${type} is ${formatBytes(bytes)}, more than the ${formatBytes(max)} we accept for one record.`);
  }

  const base = Base.safeParse(input);
  if (!base.success) {
    const field = String(base.error.issues[0]?.path[0] ?? '');
    if (field === 'id') return reject('bad-id', `This ${type} has an id that isn't a valid FHIR id (letters, digits, "-" and "." only, at most 64).`);
    return reject('bad-structure', `This ${type} has a malformed "${field}" field.`);
  }
  for (const rule of RULES[type as ImportableType]) {
    if (!rule.schema.safeParse(input).success) return reject(rule.code, rule.reason);
  }
  const inline = type === 'Binary' ? [input.data] : type === 'DocumentReference'
    ? (input.content as Array<{ attachment: { data?: unknown } }>).map((c) => c.attachment.data) : [];
  if (inline.some((d) => d !== undefined && !(typeof d === 'string' && BASE64.test(d)))) {
    return reject('bad-attachment', `This ${type === 'Binary' ? 'file' : 'document'}'s data is not valid base64, so it can't be opened.`);
  }
  const dateProblem = checkDates(input);
  if (dateProblem) return dateProblem;
  return { ok: true, resource: input as FhirResource };
}

export function isImportableType(type: unknown): type is ImportableType {
  return typeof type === 'string' && IMPORTABLE.has(type);
}
