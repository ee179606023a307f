// Shared test helpers for the FHIR unit tests (not a test file itself).
import { readFileSync } from 'node:fs';

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/fhir/${name}`, import.meta.url));
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name).toString('utf8')) as T;
}

/** A minimal valid lab Observation; override fields per test. */
export function labObservation(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: 'glucose-1',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }], text: 'Glucose' },
    effectiveDateTime: '2022-04-05T08:00:00Z',
    valueQuantity: { value: 104, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    ...extra,
  };
}

export function without(obj: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...obj };
  for (const k of keys) delete copy[k];
  return copy;
}
