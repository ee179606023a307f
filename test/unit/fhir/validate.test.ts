import { describe, expect, it } from 'vitest';
import { categoryOfResource } from '../../../shared/chain/scopes.js';
import { IMPORTABLE_TYPES, validateResource } from '../../../shared/fhir/index.js';
import { fixtureJson, labObservation, without } from './helpers.js';

function rejected(input: unknown, limits?: Parameters<typeof validateResource>[1]) {
  const r = validateResource(input, limits);
  if (r.ok) throw new Error(`expected a rejection, got ok for ${JSON.stringify(input).slice(0, 80)}`);
  return r;
}

describe('validateResource: accepts', () => {
  it('real-looking resources, keeping unknown fields and extensions', () => {
    const bp = fixtureJson('observation-blood-pressure.json');
    const r = validateResource(bp);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.resource).toBe(bp); // not copied, not modified
    expect(validateResource(labObservation({ _status: { extension: [] }, somethingNew: 1 })).ok).toBe(true);
  });

  it('partial dates, dates without seconds or zone, and a leap day', () => {
    for (const d of ['2019', '2019-05', '2019-05-04', '2019-05-04T10:00', '2019-05-04T10:00:00.123+02:00', '2020-02-29']) {
      expect(validateResource(labObservation({ effectiveDateTime: d })).ok, d).toBe(true);
    }
  });

  it('a code given only as text, and a medication given as a reference', () => {
    expect(validateResource(labObservation({ code: { text: 'Fasting glucose' } })).ok).toBe(true);
    const rx = { resourceType: 'MedicationRequest', status: 'active', intent: 'order', medicationReference: { reference: 'Medication/m1' } };
    expect(validateResource(rx).ok).toBe(true);
  });

  it('every importable type has a consent category (shared/chain/scopes.ts)', () => {
    for (const resourceType of IMPORTABLE_TYPES) expect(() => categoryOfResource({ resourceType })).not.toThrow();
  });
});

describe('validateResource: rejects with a reason a patient can read', () => {
  const cases: Array<[string, unknown, string]> = [
    ['array', [1, 2], 'not-an-object'],
    ['string', 'Observation', 'not-an-object'],
    ['null', null, 'not-an-object'],
    ['no resourceType', without(labObservation(), 'resourceType'), 'missing-resource-type'],
    ['empty resourceType', labObservation({ resourceType: '' }), 'missing-resource-type'],
    ['unknown type', labObservation({ resourceType: 'Spaceship' }), 'unknown-resource-type'],
    ['lowercase type', labObservation({ resourceType: 'observation' }), 'unknown-resource-type'],
    ['Practitioner (not a record of its own)', { resourceType: 'Practitioner', name: [{ family: 'Ortiz' }] }, 'unsupported-resource-type'],
    ['nested Bundle', { resourceType: 'Bundle', type: 'collection' }, 'nested-bundle'],
    ['bad id', labObservation({ id: 'has spaces/and slash' }), 'bad-id'],
    ['Observation without code', without(labObservation(), 'code'), 'missing-code'],
    ['Observation with an empty coding', labObservation({ code: { coding: [{}] } }), 'missing-code'],
    ['Observation without status', without(labObservation(), 'status'), 'missing-status'],
    ['MedicationRequest without intent', { resourceType: 'MedicationRequest', status: 'active', medicationCodeableConcept: { text: 'Aspirin' } }, 'missing-field'],
    ['MedicationStatement without medicine', { resourceType: 'MedicationStatement', status: 'active' }, 'missing-code'],
    ['Immunization without date', { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'Flu' } }, 'missing-field'],
    ['DocumentReference without content', { resourceType: 'DocumentReference', status: 'current', content: [] }, 'missing-field'],
    ['DocumentReference with an empty attachment', { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: {} }] }, 'missing-field'],
    ['DocumentReference with bad base64', { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { data: 'not base64!!' } }] }, 'bad-attachment'],
    ['Feb 30', labObservation({ effectiveDateTime: '2021-02-30T10:00:00Z' }), 'bad-date'],
    ['month 13', labObservation({ effectiveDateTime: '2021-13-01' }), 'bad-date'],
    ['words', labObservation({ effectiveDateTime: 'yesterday' }), 'bad-date'],
    ['bad period end', labObservation({ effectiveDateTime: undefined, effectivePeriod: { start: '2020-01-01', end: '2020-01-32' } }), 'bad-date'],
    ['malformed meta', labObservation({ meta: 'v1' }), 'bad-structure'],
  ];
  for (const [name, input, code] of cases) {
    it(name, () => {
      const r = rejected(JSON.parse(JSON.stringify(input)));
      expect(r.code).toBe(code);
      // Plain language: a sentence, no schema-library jargon, no raw JSON dump.
      expect(r.reason).toMatch(/^[A-Z"].*[.]$/);
      expect(r.reason).not.toMatch(/invalid_type|Expected|ZodError|\{"/);
    });
  }

  it('explains what is missing in the words of the record type', () => {
    expect(rejected(without(labObservation(), 'code')).reason).toMatch(/Observation.*what was measured/);
    expect(rejected({ resourceType: 'MedicationStatement', status: 'active' }).reason).toMatch(/which medicine/);
  });

  it('enforces the per-resource size limit, with the sizes in the message', () => {
    const big = labObservation({ valueQuantity: undefined, valueString: 'x'.repeat(5000) });
    const r = rejected(JSON.parse(JSON.stringify(big)), { maxResourceBytes: 4096 });
    expect(r.code).toBe('too-large');
    expect(r.reason).toMatch(/KB.*4 KB/);
    expect(validateResource(big, { maxResourceBytes: 8192 }).ok).toBe(true);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const accented = labObservation({ note: [{ text: 'é'.repeat(3000) }] }); // 6,000 bytes, 3,000 chars
    expect(rejected(accented, { maxResourceBytes: 5000 }).code).toBe('too-large');
  });

  it('gives documents (inline attachments) their own, larger limit', () => {
    const doc = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'application/pdf', data: 'QUJD'.repeat(2000) } }] };
    expect(validateResource(doc, { maxResourceBytes: 4096 }).ok).toBe(true);
    expect(rejected(doc, { maxResourceBytes: 4096, maxDocumentResourceBytes: 4096 }).code).toBe('too-large');
  });
});
