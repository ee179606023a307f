// Deterministic synthetic FHIR R4 corpus for one patient: same seed → identical resources, in Node
// scripts (demo seeding, bench), tests and the browser. No clock, no Math.random, no Node APIs.
// Resources look like a US Core export (profiles, identifiers, narrative, references) and average
// about 2 KB of JSON, the size the bench assumes.
import type { FhirResource } from '../types.js';
import * as C from './clinical.js';
import { ID_SYSTEM, US_CORE, type Ctx, type R } from './context.js';
import { docRef } from './documents.js';
import { mulberry32 } from './prng.js';
import * as V from './vocabulary.js';

export type CorpusKind = 'lab' | 'vital' | 'bp' | 'medication' | 'condition' | 'allergy' | 'immunization' | 'procedure' | 'report' | 'encounter' | 'document' | 'note';

/** Share of each kind in a corpus (weights, need not sum to 1). */
export const DEFAULT_MIX: Readonly<Record<CorpusKind, number>> = {
  lab: 30, vital: 14, bp: 8, medication: 7, condition: 6, allergy: 2, immunization: 5, procedure: 5, report: 5,
  encounter: 8, document: 4, note: 6,
};

export interface CorpusOptions {
  seed?: number;
  patientId?: string;
  /** Put a Patient resource first (default true); it counts towards n. */
  includePatient?: boolean;
  /** Dates are spread uniformly over [start, start + years). Default 2015-01-01, 10 years. */
  start?: string;
  years?: number;
  mix?: Partial<Record<CorpusKind, number>>;
}

const BUILDERS: Record<CorpusKind, (ctx: Ctx) => R> = {
  lab: C.lab, vital: C.vital, bp: C.bloodPressure, medication: C.medication, condition: C.condition, allergy: C.allergy,
  immunization: C.immunization, procedure: C.procedure, report: C.report, encounter: C.encounter,
  document: (ctx) => docRef(ctx, false), note: (ctx) => docRef(ctx, true),
};

export function patientResource(id: string): R {
  return {
    resourceType: 'Patient', id, meta: { profile: [`${US_CORE}us-core-patient`] },
    identifier: [{ use: 'usual', system: ID_SYSTEM, value: `MRN-${id}` }],
    name: [{ use: 'official', family: V.PATIENT.family, given: [...V.PATIENT.given] }],
    gender: V.PATIENT.gender, birthDate: V.PATIENT.birthDate,
    address: [{ line: ['17 Harbor Row'], city: 'Port Larkspur', state: 'ME', postalCode: '04101', country: 'US' }],
  };
}

/** A deterministic mulberry32 stream plus weighted kinds → n resources. */
export function generateCorpus(n: number, opts: CorpusOptions = {}): FhirResource[] {
  const seed = (opts.seed ?? 1) >>> 0;
  const rng = mulberry32(seed);
  const tag = seed.toString(36);
  const patientId = opts.patientId ?? `pat-${tag}`;
  const startMs = Date.parse(opts.start ?? '2015-01-01T00:00:00Z');
  const ctx: Ctx = {
    rng, tag, startMs, spanMs: (opts.years ?? 10) * 365.25 * 86_400_000, recentLabs: [], counter: 0, conditions: 0,
    patient: { reference: `Patient/${patientId}`, display: `${V.PATIENT.given[0]} ${V.PATIENT.family}` },
  };
  const mix = { ...DEFAULT_MIX, ...opts.mix };
  const kinds = (Object.keys(mix) as CorpusKind[]).filter((k) => mix[k] > 0);
  const total = kinds.reduce((s, k) => s + mix[k], 0);
  const out: FhirResource[] = [];
  if (n > 0 && opts.includePatient !== false) out.push(patientResource(patientId));
  while (out.length < n) {
    let x = rng.next() * total;
    const kind = kinds.find((k) => (x -= mix[k]) < 0) ?? kinds[kinds.length - 1]!;
    ctx.counter++;
    out.push(BUILDERS[kind](ctx));
  }
  return out;
}

/**
 * Distinctive plaintext that appears in every generated corpus of 200+ records: clinician, place and
 * patient names, and condition displays. A storage test greps the encrypted store for each of them.
 */
export const MARKERS: readonly string[] = [
  ...V.PRACTITIONERS, ...V.ORGANIZATIONS, V.PATIENT.family,
  ...V.CONDITIONS.map((c) => c.icd10Display),
];

/** The markers that occur in these resources (JSON text), for tests on small corpora. */
export function markersIn(resources: readonly unknown[]): string[] {
  const text = JSON.stringify(resources);
  return MARKERS.filter((m) => text.includes(m));
}
