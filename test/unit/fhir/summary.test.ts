import { describe, expect, it } from 'vitest';
import { summarize, type Summary } from '../../../shared/fhir/index.js';
import { generateCorpus } from '../../../shared/fhir/synthetic/index.js';
import { fixtureJson, labObservation } from './helpers.js';

const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const detail = (s: Summary, label: string) => s.details.find((d) => d.label === label)?.value;

describe('summarize: Observation', () => {
  it('blood pressure reads "120/80 mmHg"', () => {
    const s = summarize(fixtureJson('observation-blood-pressure.json'));
    expect(s).toMatchObject({
      resourceType: 'Observation', title: 'Blood pressure', category: 'vitals', value: '120/80 mmHg',
      date: '2024-03-01T10:15:00-05:00', status: 'final', performer: 'Dr. Ana Ortiz', interpretation: 'Normal',
    });
  });

  it('lab value with unit, reference range and interpretation from the code', () => {
    const s = summarize(fixtureJson('observation-potassium-high.json'));
    expect(s).toMatchObject({ value: '5.9 mmol/L', referenceRange: '3.5–5.5 mmol/L', interpretation: 'High', category: 'labs' });
    expect(s.title).toBe('Potassium [Moles/volume] in Serum or Plasma'); // no text: the LOINC display
    expect(s.date).toBe('2023-11-20T07:45:00Z'); // effective, not issued
    expect(s.performer).toBe('Quillfeather Diagnostics Lab');
  });

  it('one-sided and text reference ranges, comparators', () => {
    expect(summarize(labObservation({ referenceRange: [{ high: { value: 200, unit: 'mg/dL' } }] })).referenceRange).toBe('≤ 200 mg/dL');
    expect(summarize(labObservation({ referenceRange: [{ low: { value: 60 } }] })).referenceRange).toBe('≥ 60');
    expect(summarize(labObservation({ referenceRange: [{ text: 'negative' }] })).referenceRange).toBe('negative');
    expect(summarize(labObservation({ valueQuantity: { value: 0.5, comparator: '<', unit: 'ng/mL' } })).value).toBe('< 0.5 ng/mL');
  });

  it('other value types', () => {
    const v = (extra: Record<string, unknown>) => summarize(labObservation({ valueQuantity: undefined, ...extra })).value;
    expect(v({ valueString: 'Clear, yellow' })).toBe('Clear, yellow');
    expect(v({ valueCodeableConcept: { coding: [{ system: SCT, code: '260385009', display: 'Negative' }] } })).toBe('Negative');
    expect(v({ valueBoolean: true })).toBe('Yes');
    expect(v({ valueInteger: 3 })).toBe('3');
    expect(v({ valueRange: { low: { value: 1, unit: 'mg' }, high: { value: 2, unit: 'mg' } } })).toBe('1–2 mg');
    expect(v({ valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } })).toBe('1 / 128');
    expect(v({ dataAbsentReason: { text: 'Specimen hemolyzed' } })).toBe('Not available (Specimen hemolyzed)');
  });

  it('non-blood-pressure components become details', () => {
    const s = summarize(labObservation({
      valueQuantity: undefined,
      component: [
        { code: { text: 'Left eye' }, valueString: '20/20' },
        { code: { text: 'Right eye' }, valueString: '20/40' },
      ],
    }));
    expect(s.details).toEqual([{ label: 'Left eye', value: '20/20' }, { label: 'Right eye', value: '20/40' }]);
    expect(s.value).toBeUndefined();
  });
});

describe('summarize: other types', () => {
  it('Condition', () => {
    const s = summarize({
      resourceType: 'Condition', code: { coding: [{ system: SCT, code: '44054006', display: 'Diabetes mellitus type 2' }] },
      clinicalStatus: { coding: [{ code: 'active' }] }, severity: { text: 'Moderate' }, onsetDateTime: '2019-06', recordedDate: '2019-07-01',
      asserter: { display: 'Dr. Emeka Lindqvist' },
    });
    expect(s).toMatchObject({ title: 'Diabetes mellitus type 2', category: 'conditions', status: 'active', date: '2019-06', performer: 'Dr. Emeka Lindqvist' });
    expect(detail(s, 'Severity')).toBe('Moderate');
  });

  it('MedicationRequest with dose text; MedicationStatement with structured dose', () => {
    const rx = summarize({
      resourceType: 'MedicationRequest', status: 'active', intent: 'order', authoredOn: '2024-02-01',
      medicationCodeableConcept: { text: 'lisinopril 10 MG Oral Tablet' }, requester: { display: 'Dr. Ana Ortiz' },
      dosageInstruction: [{ text: 'Take 1 tablet by mouth once daily' }], dispenseRequest: { numberOfRepeatsAllowed: 3 },
    });
    expect(rx).toMatchObject({ title: 'lisinopril 10 MG Oral Tablet', value: 'Take 1 tablet by mouth once daily', date: '2024-02-01', performer: 'Dr. Ana Ortiz', category: 'medications' });
    expect(detail(rx, 'Refills')).toBe('3');
    const st = summarize({
      resourceType: 'MedicationStatement', status: 'active', medicationReference: { reference: 'Medication/m', display: 'Metformin 500 mg' },
      effectivePeriod: { start: '2020-01-01' },
      dosage: [{ doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }], timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } } }],
    });
    expect(st).toMatchObject({ title: 'Metformin 500 mg', value: '1 tablet, twice a day', date: '2020-01-01' });
  });

  it('AllergyIntolerance: reactions and criticality', () => {
    const s = summarize({
      resourceType: 'AllergyIntolerance', code: { text: 'Penicillin' }, criticality: 'high', category: ['medication'], recordedDate: '2010-05-05',
      clinicalStatus: { coding: [{ code: 'active', display: 'Active' }] },
      reaction: [{ manifestation: [{ text: 'Hives' }, { text: 'Wheezing' }], severity: 'severe' }],
    });
    expect(s).toMatchObject({ title: 'Penicillin', value: 'Hives, Wheezing', status: 'Active', category: 'allergies', date: '2010-05-05' });
    expect(detail(s, 'Risk')).toBe('High risk');
    expect(detail(s, 'Severity')).toBe('severe');
    expect(detail(s, 'Type')).toBe('medication');
  });

  it('Immunization, Procedure, DiagnosticReport', () => {
    const imm = summarize({
      resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'Tdap' }, occurrenceDateTime: '2021-09-09',
      performer: [{ actor: { display: 'Nurse Oona Brightwater' } }], lotNumber: 'AB1234', protocolApplied: [{ doseNumberPositiveInt: 2 }],
    });
    expect(imm).toMatchObject({ title: 'Tdap', date: '2021-09-09', performer: 'Nurse Oona Brightwater', category: 'immunizations' });
    expect(detail(imm, 'Lot number')).toBe('AB1234');
    expect(detail(imm, 'Dose')).toBe('2');
    const proc = summarize({
      resourceType: 'Procedure', status: 'completed', code: { text: 'Colonoscopy' }, performedPeriod: { start: '2022-03-03T09:00:00Z', end: '2022-03-03T10:00:00Z' },
      performer: [{ actor: { display: 'Dr. Tobias Winterbourne' } }],
    });
    expect(proc).toMatchObject({ title: 'Colonoscopy', date: '2022-03-03T09:00:00Z', performer: 'Dr. Tobias Winterbourne', category: 'procedures' });
    const dr = summarize({
      resourceType: 'DiagnosticReport', status: 'final', code: { text: 'CBC panel' }, issued: '2022-01-02T00:00:00Z',
      conclusion: 'Within normal limits.', result: [{ reference: 'Observation/a' }, { reference: 'Observation/b' }],
    });
    expect(dr).toMatchObject({ title: 'CBC panel', value: 'Within normal limits.', date: '2022-01-02T00:00:00Z' });
    expect(detail(dr, 'Results')).toBe('2 results');
  });

  it('DocumentReference: title, type, format, size', () => {
    const s = summarize({
      resourceType: 'DocumentReference', status: 'current', type: { coding: [{ system: LOINC, code: '11502-2', display: 'Laboratory report' }] },
      date: '2024-05-05T10:00:00Z', author: [{ display: 'Dr. Ana Ortiz' }],
      content: [{ attachment: { contentType: 'application/pdf', title: 'labs-may.pdf', data: 'JVBERi0xLjQK' } }],
    });
    expect(s).toMatchObject({ title: 'labs-may.pdf', category: 'documents', performer: 'Dr. Ana Ortiz', date: '2024-05-05T10:00:00Z' });
    expect(detail(s, 'Type')).toBe('Laboratory report');
    expect(detail(s, 'Format')).toBe('application/pdf');
    expect(detail(s, 'Size')).toBe('9 bytes');
  });

  it('Encounter and generic types', () => {
    const enc = summarize({ resourceType: 'Encounter', status: 'finished', class: { code: 'EMER' }, period: { start: '2020-02-02T22:00:00Z' }, participant: [{ individual: { display: 'Dr. X' } }] });
    expect(enc).toMatchObject({ title: 'Emergency visit', category: 'encounters', date: '2020-02-02T22:00:00Z', performer: 'Dr. X' });
    const ci = summarize({ resourceType: 'ClinicalImpression', status: 'completed', description: 'Annual review', date: '2023-01-01' });
    expect(ci).toMatchObject({ title: 'Annual review', category: 'notes', date: '2023-01-01' });
    expect(summarize({ resourceType: 'ImagingStudy', status: 'available' }).title).toBe('Imaging Study');
    expect(summarize(null).title).toBe('Unknown');
  });

  it('never shows raw JSON or narrative markup, and clips long text', () => {
    const long = summarize(labObservation({ valueQuantity: undefined, valueString: 'a'.repeat(5000), text: { div: '<div><script>x</script></div>' } }));
    expect(long.value!.length).toBeLessThanOrEqual(500);
    for (const r of generateCorpus(300, { seed: 5 })) {
      const s = summarize(r);
      const strings = [s.title, s.value, s.referenceRange, s.interpretation, s.status, s.performer, s.date, ...s.details.flatMap((d) => [d.label, d.value])];
      for (const str of strings) {
        if (str === undefined) continue;
        expect(typeof str).toBe('string');
        expect(str).not.toMatch(/^[[{]|<\/?[a-z]+[ >]|\[object/);
      }
      expect(s.title.length).toBeGreaterThan(0);
      if (r.resourceType !== 'Patient') expect(s.date).toBeDefined();
    }
  });
});
