// One display category per record (the vault's tabs and filters) plus sensitivity flags the consent
// layer uses: a flagged record is shared only under explicit consent for that sensitive kind.
// Category: the record's own category coding decides when it has one (e.g. Observation "laboratory"),
// then the resource type, then a few well-known codes. Sensitivity: a HEURISTIC. Explicit HL7 security
// labels first, then short lists of ICD-10 / SNOMED CT / LOINC codes and keywords in code displays.
// It errs towards flagging (a false flag only asks the patient one more question); it is not a
// clinical classifier and does not read free-text narrative.
import { anyCode, asArray, codings, conceptTerms, isObject, str, SYSTEMS } from './codes.js';

export const CATEGORIES = [
  'labs', 'vitals', 'medications', 'conditions', 'allergies', 'immunizations', 'procedures', 'documents',
  'notes', 'encounters', 'imaging', 'demographics', 'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const SENSITIVE_FLAGS = ['mental-health', 'reproductive', 'substance-use'] as const;
export type SensitiveFlag = (typeof SENSITIVE_FLAGS)[number];

const BY_TYPE: Record<string, Category> = {
  Observation: 'labs', DiagnosticReport: 'labs', ImagingStudy: 'imaging', Condition: 'conditions',
  AllergyIntolerance: 'allergies', Immunization: 'immunizations', Procedure: 'procedures',
  Medication: 'medications', MedicationStatement: 'medications', MedicationRequest: 'medications',
  MedicationAdministration: 'medications', MedicationDispense: 'medications', DocumentReference: 'documents',
  Binary: 'documents', Composition: 'notes', ClinicalImpression: 'notes', Encounter: 'encounters',
  Patient: 'demographics',
};

/** observation-category codes (R4 value set) → display category. */
const OBSERVATION_CATEGORY: Record<string, Category> = {
  laboratory: 'labs', 'vital-signs': 'vitals', imaging: 'imaging', procedure: 'procedures',
  'social-history': 'other', survey: 'other', exam: 'other', therapy: 'other', activity: 'other',
};
/** v2-0074 diagnostic service sections used in DiagnosticReport.category. */
const IMAGING_SECTIONS = new Set(['RAD', 'CT', 'CUS', 'MR', 'NMR', 'NMS', 'OUS', 'RUS', 'VUS', 'XRC']);
/** LOINC vital-sign codes, for Observations that arrive without a category. */
const VITAL_LOINC = new Set([
  '85354-9', '8480-6', '8462-4', '8867-4', '29463-7', '3141-9', '8302-2', '8310-5', '9279-1', '2708-6',
  '59408-5', '39156-5', '8287-5', '9843-4',
]);
/** LOINC document types that are clinical notes (US Core clinical-note types). */
const NOTE_LOINC = new Set(['11506-3', '18842-5', '34117-2', '11488-4', '28570-0', '34111-5', '57133-1']);

function categoryCodes(resource: Record<string, unknown>): string[] {
  return asArray(resource.category).flatMap((cc) => codings(cc).map((c) => str(c.code) ?? ''));
}

export function categoryOf(resource: unknown): Category {
  if (!isObject(resource) || typeof resource.resourceType !== 'string') return 'other';
  const type = resource.resourceType;
  const cats = categoryCodes(resource);
  switch (type) {
    case 'Observation': {
      for (const c of cats) if (OBSERVATION_CATEGORY[c]) return OBSERVATION_CATEGORY[c];
      if (anyCode(resource.code, [SYSTEMS.loinc], (c) => VITAL_LOINC.has(c))) return 'vitals';
      return 'labs';
    }
    case 'DiagnosticReport':
      if (cats.some((c) => IMAGING_SECTIONS.has(c))) return 'imaging';
      return 'labs';
    case 'DocumentReference':
      if (cats.includes('clinical-note')) return 'notes';
      if (anyCode(resource.type, [SYSTEMS.loinc], (c) => NOTE_LOINC.has(c))) return 'notes';
      return 'documents';
    default:
      return BY_TYPE[type] ?? 'other';
  }
}

// --- sensitivity ----------------------------------------------------------------------------------
/** HL7 v3 ActCode confidentiality labels (meta.security), as in shared/chain/scopes.ts. */
const SECURITY_LABELS: Record<string, SensitiveFlag> = { PSY: 'mental-health', PSYTHPN: 'mental-health', ETH: 'substance-use', SEX: 'reproductive' };

const ICD10 = [SYSTEMS.icd10cm, SYSTEMS.icd10];
/** ICD-10 chapter ranges. F17 (nicotine) is left out: tobacco is not covered by substance-use rules. */
function icd10Flag(code: string): SensitiveFlag | undefined {
  const c = code.toUpperCase().replace('.', '');
  if (/^F17/.test(c)) return undefined;
  if (/^F1[0-9]/.test(c)) return 'substance-use';
  if (/^Z71[45]/.test(c)) return 'substance-use'; // alcohol / drug abuse counselling
  if (/^F/.test(c)) return 'mental-health';
  if (/^O/.test(c) || /^Z3[0-79A]/.test(c) || /^N9[67]/.test(c) || /^N46/.test(c)) return 'reproductive';
  return undefined;
}

const SNOMED: Record<string, SensitiveFlag> = {
  '35489007': 'mental-health', // depressive disorder
  '370143000': 'mental-health', // major depressive disorder
  '197480006': 'mental-health', // anxiety disorder
  '13746004': 'mental-health', // bipolar disorder
  '58214004': 'mental-health', // schizophrenia
  '47505003': 'mental-health', // post-traumatic stress disorder
  '7200002': 'substance-use', // alcoholism
  '66590003': 'substance-use', // alcohol dependence
  '26416006': 'substance-use', // drug abuse
  '191816009': 'substance-use', // drug dependence
  '77386006': 'reproductive', // pregnant
  '72892002': 'reproductive', // normal pregnancy
  '386639001': 'reproductive', // termination of pregnancy
  '8619003': 'reproductive', // infertile
};

const LOINC: Record<string, SensitiveFlag> = {
  '44261-6': 'mental-health', // PHQ-9 total score
  '44249-1': 'mental-health', // PHQ-9 panel
  '70274-6': 'mental-health', // GAD-7 total score
  '69737-5': 'mental-health', // GAD-7 panel
  '75626-2': 'substance-use', // AUDIT-C total score
  '2106-3': 'reproductive', // hCG (pregnancy test) in urine
  '2118-8': 'reproductive', // hCG (pregnancy test) in serum/plasma
  '82810-3': 'reproductive', // pregnancy status
};

const KEYWORDS: Array<[RegExp, SensitiveFlag]> = [
  [/\b(alcohol(ism| use| abuse| dependence)|opioid use|substance (use|abuse)|drug (abuse|dependence)|cocaine|heroin|methadone|buprenorphine|naltrexone)/i, 'substance-use'],
  [/\b(depress|anxiety|bipolar|schizo|psychos|psychiatr|ptsd|post-?traumatic stress|suicid|anorexia nervosa|bulimi|attention deficit|adhd)/i, 'mental-health'],
  [/\b(pregnan|contracept|abortion|miscarriage|infertil|in vitro fertili|prenatal|antenatal|postpartum|obstetric)/i, 'reproductive'],
];

/** The coded fields that say what a record is about (never narrative text). */
const CODED_FIELDS = ['code', 'vaccineCode', 'medicationCodeableConcept', 'type', 'reasonCode', 'category'];

export function sensitiveFlags(resource: unknown): SensitiveFlag[] {
  const flags = new Set<SensitiveFlag>();
  if (!isObject(resource)) return [];
  const meta = isObject(resource.meta) ? resource.meta : {};
  for (const label of asArray(meta.security)) {
    if (!isObject(label)) continue;
    if (label.system !== undefined && label.system !== SYSTEMS.actCode) continue;
    const flag = typeof label.code === 'string' ? SECURITY_LABELS[label.code] : undefined;
    if (flag) flags.add(flag);
  }
  for (const field of CODED_FIELDS) {
    for (const cc of asArray(resource[field])) {
      for (const c of codings(cc)) {
        const code = str(c.code);
        if (!code) continue;
        const flag = c.system && ICD10.includes(c.system as (typeof ICD10)[number]) ? icd10Flag(code)
          : c.system === SYSTEMS.snomed ? SNOMED[code]
            : c.system === SYSTEMS.loinc ? LOINC[code] : undefined;
        if (flag) flags.add(flag);
      }
      for (const term of conceptTerms(cc)) for (const [re, flag] of KEYWORDS) if (re.test(term)) flags.add(flag);
    }
  }
  return SENSITIVE_FLAGS.filter((f) => flags.has(f));
}

export function categorize(resource: unknown): { category: Category; sensitive: SensitiveFlag[] } {
  return { category: categoryOf(resource), sensitive: sensitiveFlags(resource) };
}
