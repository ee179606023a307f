// Minimal FHIR R4 shapes for the fields this module reads. Deliberately partial and all-optional:
// imported records come from many EHRs, so every access is defensive. The installed @types/fhir
// (3.0.2) describes STU3, not R4 (e.g. Immunization.date vs R4 occurrenceDateTime), so we do not
// use it here; every resource also keeps its unknown fields untouched (FHIR allows extensions).

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Quantity {
  value?: number;
  comparator?: string;
  unit?: string;
  system?: string;
  code?: string;
}

export interface Range {
  low?: Quantity;
  high?: Quantity;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface Attachment {
  contentType?: string;
  language?: string;
  data?: string;
  url?: string;
  size?: number;
  hash?: string;
  title?: string;
  creation?: string;
}

export interface Meta {
  versionId?: string;
  lastUpdated?: string;
  source?: string;
  security?: Coding[];
  tag?: Coding[];
  profile?: string[];
}

/** Any FHIR resource: resourceType plus whatever fields it carries. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: Meta;
  [field: string]: unknown;
}

/** What a Bundle entry looks like on input (R4 Bundle.entry). */
export interface BundleEntry {
  fullUrl?: string;
  resource?: unknown;
  request?: { method?: string; url?: string };
}
