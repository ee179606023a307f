// Shared pieces of the synthetic record builders: the generation context (seeded PRNG, patient,
// time span, round-robin counters), the US Core-like envelope every record gets, and small helpers.
import type { FhirResource } from '../types.js';
import type { Rng } from './prng.js';
import * as V from './vocabulary.js';

export type R = FhirResource;

export const US_CORE = 'http://hl7.org/fhir/us-core/StructureDefinition/';
export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const UCUM = 'http://unitsofmeasure.org';
export const OBS_CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const ID_SYSTEM = 'urn:oid:2.16.840.1.113883.3.7877.1';

export interface Ctx {
  rng: Rng;
  tag: string;
  patient: { reference: string; display: string };
  startMs: number;
  spanMs: number;
  recentLabs: string[];
  /** Records so far; drives ids and the round-robin choices. */
  counter: number;
  conditions: number;
}

export const round = (v: number, d: number) => Number(v.toFixed(d));
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** EHRs usually put their local, friendlier name in `text`; the LOINC long name stays in display. */
export const loinc = (code: string, display: string, text = display) => ({ coding: [{ system: LOINC, code, display }], text });
export const snomed = (code: string, display: string) => ({ coding: [{ system: SNOMED, code, display }], text: display });

/** Clinicians rotate (not random) so every marker shows up within the first few dozen records. */
export const performer = (ctx: Ctx) => V.PRACTITIONERS[ctx.counter % V.PRACTITIONERS.length]!;
export const organization = (ctx: Ctx) => V.ORGANIZATIONS[Math.floor(ctx.counter / 2) % V.ORGANIZATIONS.length]!;
export const practitionerRef = (ctx: Ctx) => ({ reference: `Practitioner/pr-${ctx.counter % V.PRACTITIONERS.length}`, display: performer(ctx) });

export function envelope(ctx: Ctx, type: string, prefix: string, profile: string, when: number, summary: string): R {
  const date = iso(when).slice(0, 10);
  return {
    resourceType: type,
    id: `${prefix}-${ctx.tag}-${String(ctx.counter).padStart(6, '0')}`,
    meta: { versionId: '1', lastUpdated: iso(when + ctx.rng.int(1, 72) * 3_600_000), source: `#${ctx.rng.hex(16)}`, profile: [US_CORE + profile] },
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>${esc(summary)}</b></p><p>Patient: ${esc(ctx.patient.display)}. Date: ${date}. `
        + `Recorded by ${esc(performer(ctx))}, ${esc(organization(ctx))}.</p></div>`,
    },
    identifier: [{
      use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'RI', display: 'Resource identifier' }] },
      system: ID_SYSTEM, value: ctx.rng.hex(20),
    }],
  };
}

export function when(ctx: Ctx): number {
  // Whole minutes: EHR timestamps rarely carry seconds that mean anything.
  return ctx.startMs + Math.floor((ctx.rng.next() * ctx.spanMs) / 60_000) * 60_000;
}

export function encounterRef(ctx: Ctx) {
  return { reference: `Encounter/enc-${ctx.tag}-${ctx.rng.hex(8)}`, display: ctx.rng.pick(V.ENCOUNTERS).display };
}
