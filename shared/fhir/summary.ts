// Display-ready, plain-language summary of one record for the vault UI: short strings only, never raw
// JSON or narrative XHTML (those are shown, if at all, in the sandboxed viewer). One reader per common
// type; anything else gets a generic summary. Dates stay ISO (the UI formats them for the locale).
import { categoryOf, sensitiveFlags } from './categorize.js';
import { asArray, conceptText, isObject, referenceDisplay, str } from './codes.js';
import { parseFhirDate } from './dates.js';
import { formatBytes } from './limits.js';
import { clip, detail, first, get, medication, observation, type R, type Summary } from './summary-parts.js';

export type { Detail, Summary } from './summary-parts.js';

/** The clinically relevant date per type: when it happened, else when it was recorded. */
const DATE_PATHS: Record<string, string[][]> = {
  Observation: [['effectiveDateTime'], ['effectivePeriod', 'start'], ['effectiveInstant'], ['issued']],
  DiagnosticReport: [['effectiveDateTime'], ['effectivePeriod', 'start'], ['issued']],
  Condition: [['onsetDateTime'], ['onsetPeriod', 'start'], ['recordedDate']],
  AllergyIntolerance: [['onsetDateTime'], ['recordedDate'], ['lastOccurrence']],
  MedicationStatement: [['effectiveDateTime'], ['effectivePeriod', 'start'], ['dateAsserted']],
  MedicationRequest: [['authoredOn']],
  MedicationAdministration: [['effectiveDateTime'], ['effectivePeriod', 'start']],
  MedicationDispense: [['whenHandedOver'], ['whenPrepared']],
  Immunization: [['occurrenceDateTime'], ['recorded']],
  Procedure: [['performedDateTime'], ['performedPeriod', 'start']],
  DocumentReference: [['context', 'period', 'start'], ['content', '0', 'attachment', 'creation'], ['date']],
  Encounter: [['period', 'start']],
  ImagingStudy: [['started']],
  Composition: [['date']],
  ClinicalImpression: [['effectiveDateTime'], ['effectivePeriod', 'start'], ['date']],
  Patient: [['birthDate']],
};

export function clinicalDate(resource: unknown): string | undefined {
  if (!isObject(resource)) return undefined;
  const paths = DATE_PATHS[String(resource.resourceType)] ?? [['date'], ['effectiveDateTime'], ['issued']];
  for (const p of paths) {
    const parsed = parseFhirDate(get(resource, ...p.map((k) => (/^\d+$/.test(k) ? Number(k) : k))));
    if (parsed) return parsed.iso;
  }
  return undefined;
}

const ENCOUNTER_CLASS: Record<string, string> = {
  AMB: 'Outpatient visit', EMER: 'Emergency visit', IMP: 'Hospital stay', ACUTE: 'Hospital stay',
  VR: 'Virtual visit', HH: 'Home visit', OBSENC: 'Observation stay',
};
const CRITICALITY: Record<string, string> = { high: 'High risk', low: 'Low risk', 'unable-to-assess': 'Unable to assess' };

function humanize(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2');
}

export function summarize(resource: unknown): Summary {
  const r: R = isObject(resource) ? resource : {};
  const type = typeof r.resourceType === 'string' ? r.resourceType : 'Unknown';
  const s: Summary = {
    resourceType: type,
    title: conceptText(r.code) ?? humanize(type),
    category: categoryOf(r),
    sensitive: sensitiveFlags(r),
    date: clinicalDate(r),
    status: first(conceptText(r.clinicalStatus), r.status),
    details: [],
  };
  switch (type) {
    case 'Observation':
      observation(r, s);
      break;
    case 'MedicationStatement': case 'MedicationRequest': case 'MedicationAdministration': case 'MedicationDispense':
      medication(r, s);
      break;
    case 'Condition':
      s.performer = first(referenceDisplay(r.asserter), referenceDisplay(r.recorder));
      detail(s, 'Severity', conceptText(r.severity));
      detail(s, 'Confirmed', conceptText(r.verificationStatus));
      detail(s, 'Resolved', r.abatementDateTime);
      detail(s, 'Body site', conceptText(get(r, 'bodySite', 0)));
      break;
    case 'AllergyIntolerance': {
      const reactions = asArray(r.reaction).flatMap((x) => asArray(get(x, 'manifestation')).map(conceptText)).filter(Boolean);
      s.value = reactions.length ? reactions.join(', ') : undefined;
      s.performer = first(referenceDisplay(r.recorder), referenceDisplay(r.asserter));
      detail(s, 'Risk', CRITICALITY[String(r.criticality)]);
      detail(s, 'Severity', get(r, 'reaction', 0, 'severity'));
      detail(s, 'Type', asArray(r.category).filter((c) => typeof c === 'string').join(', '));
      break;
    }
    case 'Immunization':
      s.title = conceptText(r.vaccineCode) ?? s.title;
      s.performer = referenceDisplay(get(r, 'performer', 0, 'actor'));
      detail(s, 'Dose', get(r, 'protocolApplied', 0, 'doseNumberPositiveInt') ?? get(r, 'protocolApplied', 0, 'doseNumberString'));
      detail(s, 'Lot number', r.lotNumber);
      detail(s, 'Site', conceptText(r.site));
      detail(s, 'Manufacturer', referenceDisplay(r.manufacturer));
      break;
    case 'Procedure':
      s.performer = referenceDisplay(get(r, 'performer', 0, 'actor'));
      detail(s, 'Reason', conceptText(get(r, 'reasonCode', 0)));
      detail(s, 'Body site', conceptText(get(r, 'bodySite', 0)));
      detail(s, 'Outcome', conceptText(r.outcome));
      detail(s, 'Location', referenceDisplay(r.location));
      break;
    case 'DiagnosticReport': {
      s.performer = referenceDisplay(get(r, 'performer', 0)) ?? referenceDisplay(get(r, 'resultsInterpreter', 0));
      s.value = clip(str(r.conclusion));
      const n = asArray(r.result).length;
      if (n) detail(s, 'Results', `${n} result${n === 1 ? '' : 's'}`);
      break;
    }
    case 'DocumentReference': {
      const att = get(r, 'content', 0, 'attachment');
      s.title = first(r.description, get(att, 'title'), conceptText(r.type)) ?? 'Document';
      s.status = first(r.docStatus, r.status);
      s.performer = referenceDisplay(get(r, 'author', 0));
      detail(s, 'Type', conceptText(r.type));
      detail(s, 'File', get(att, 'title'));
      detail(s, 'Format', get(att, 'contentType'));
      const data = get(att, 'data');
      const size = typeof get(att, 'size') === 'number' ? (get(att, 'size') as number)
        : typeof data === 'string' ? Math.floor((data.replace(/[\r\n=]/g, '').length * 3) / 4) : undefined;
      if (size !== undefined) detail(s, 'Size', formatBytes(size));
      break;
    }
    case 'Encounter': {
      const cls = str(get(r, 'class', 'code'));
      s.title = first(conceptText(get(r, 'type', 0)), cls ? ENCOUNTER_CLASS[cls] : undefined, get(r, 'class', 'display')) ?? 'Visit';
      s.performer = referenceDisplay(get(r, 'participant', 0, 'individual'));
      detail(s, 'Reason', conceptText(get(r, 'reasonCode', 0)));
      detail(s, 'Location', referenceDisplay(get(r, 'location', 0, 'location')));
      detail(s, 'Provider', referenceDisplay(r.serviceProvider));
      detail(s, 'Ended', get(r, 'period', 'end'));
      break;
    }
    case 'Patient': {
      const name = get(r, 'name', 0);
      s.title = first(get(name, 'text'), [...asArray(get(name, 'given')), get(name, 'family')].filter((x) => typeof x === 'string').join(' ')) ?? 'Patient';
      detail(s, 'Gender', r.gender);
      break;
    }
    default:
      s.title = first(r.title, conceptText(r.type), r.description, conceptText(r.code)) ?? s.title;
      s.performer = referenceDisplay(get(r, 'author', 0)) ?? referenceDisplay(get(r, 'assessor'));
  }
  s.title = clip(s.title) ?? humanize(type);
  s.value = clip(s.value || undefined);
  // Drop absent optional fields so the UI (and tests) see a clean object.
  for (const k of ['date', 'value', 'referenceRange', 'interpretation', 'status', 'performer'] as const) {
    if (s[k] === undefined) delete s[k];
  }
  return s;
}
