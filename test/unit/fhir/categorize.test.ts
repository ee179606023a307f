import { describe, expect, it } from 'vitest';
import { categoryOfResource, Scope } from '../../../shared/chain/scopes.js';
import { categorize, categoryOf, sensitiveFlags, type Category } from '../../../shared/fhir/index.js';
import { generateCorpus } from '../../../shared/fhir/synthetic/index.js';
import { labObservation, without } from './helpers.js';

const obsCat = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }];
const coded = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';

describe('categoryOf', () => {
  it('Observation by its category coding', () => {
    expect(categoryOf(labObservation({ category: obsCat('laboratory') }))).toBe('labs');
    expect(categoryOf(labObservation({ category: obsCat('vital-signs') }))).toBe('vitals');
    expect(categoryOf(labObservation({ category: obsCat('imaging') }))).toBe('imaging');
    expect(categoryOf(labObservation({ category: obsCat('survey') }))).toBe('other');
  });

  it('Observation without a category: vital-sign LOINC codes are vitals, the rest labs', () => {
    const bare = without(labObservation(), 'category');
    expect(categoryOf(bare)).toBe('labs');
    expect(categoryOf({ ...bare, code: coded(LOINC, '8867-4') })).toBe('vitals');
  });

  it('DiagnosticReport and DocumentReference by category / type', () => {
    const v2 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
    expect(categoryOf({ resourceType: 'DiagnosticReport', category: [coded(v2, 'LAB')] })).toBe('labs');
    expect(categoryOf({ resourceType: 'DiagnosticReport', category: [coded(v2, 'RAD')] })).toBe('imaging');
    const noteCat = [coded('http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', 'clinical-note')];
    expect(categoryOf({ resourceType: 'DocumentReference', category: noteCat })).toBe('notes');
    expect(categoryOf({ resourceType: 'DocumentReference', type: coded(LOINC, '11506-3') })).toBe('notes');
    expect(categoryOf({ resourceType: 'DocumentReference', type: { text: 'Scan' } })).toBe('documents');
  });

  it('other types by resource type', () => {
    const table: Record<string, Category> = {
      MedicationRequest: 'medications', MedicationStatement: 'medications', Condition: 'conditions', AllergyIntolerance: 'allergies',
      Immunization: 'immunizations', Procedure: 'procedures', Encounter: 'encounters', Patient: 'demographics', Composition: 'notes',
      Binary: 'documents', ImagingStudy: 'imaging', Practitioner: 'other',
    };
    for (const [resourceType, cat] of Object.entries(table)) expect(categoryOf({ resourceType }), resourceType).toBe(cat);
    expect(categoryOf(null)).toBe('other');
  });

  it('agrees with the consent bit (shared/chain/scopes.ts) on a synthetic corpus', () => {
    const BIT: Record<Exclude<Category, 'other'>, number> = {
      labs: Scope.LABS, vitals: Scope.VITALS, medications: Scope.MEDICATIONS, conditions: Scope.CONDITIONS, allergies: Scope.ALLERGIES,
      immunizations: Scope.IMMUNIZATIONS, procedures: Scope.PROCEDURES, documents: Scope.DOCUMENTS, notes: Scope.NOTES,
      encounters: Scope.ENCOUNTERS, imaging: Scope.IMAGING, demographics: Scope.DEMOGRAPHICS,
    };
    for (const r of generateCorpus(400, { seed: 11 })) {
      const cat = categoryOf(r);
      expect(cat).not.toBe('other');
      expect(categoryOfResource(r as Parameters<typeof categoryOfResource>[0]), r.id).toBe(BIT[cat as Exclude<Category, 'other'>]);
    }
  });
});

describe('sensitiveFlags (heuristic)', () => {
  const cond = (code: unknown, extra: Record<string, unknown> = {}) => ({ resourceType: 'Condition', code, ...extra });

  it('HL7 security labels', () => {
    const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
    expect(sensitiveFlags(labObservation({ meta: { security: [{ system: actCode, code: 'PSY' }] } }))).toEqual(['mental-health']);
    expect(sensitiveFlags(labObservation({ meta: { security: [{ code: 'ETH' }, { code: 'SEX' }] } }))).toEqual(['reproductive', 'substance-use']);
    expect(sensitiveFlags(labObservation({ meta: { security: [{ system: 'http://other', code: 'PSY' }] } }))).toEqual([]);
  });

  it('ICD-10 codes', () => {
    expect(sensitiveFlags(cond(coded(ICD, 'F32.A')))).toEqual(['mental-health']);
    expect(sensitiveFlags(cond(coded(ICD, 'F10.20')))).toEqual(['substance-use']);
    expect(sensitiveFlags(cond(coded(ICD, 'F17.210')))).toEqual([]); // nicotine: not a substance-use category
    expect(sensitiveFlags(cond(coded(ICD, 'O80')))).toEqual(['reproductive']);
    expect(sensitiveFlags(cond(coded(ICD, 'Z34.90')))).toEqual(['reproductive']);
    expect(sensitiveFlags(cond(coded(ICD, 'E11.9')))).toEqual([]);
    expect(sensitiveFlags(cond(coded('http://example.org/local', 'F32.A')))).toEqual([]); // not ICD-10: code alone means nothing
  });

  it('SNOMED CT and LOINC codes', () => {
    expect(sensitiveFlags(cond(coded(SCT, '35489007')))).toEqual(['mental-health']);
    expect(sensitiveFlags(cond(coded(SCT, '7200002')))).toEqual(['substance-use']);
    expect(sensitiveFlags(labObservation({ code: coded(LOINC, '44261-6') }))).toEqual(['mental-health']);
    expect(sensitiveFlags(labObservation({ code: coded(LOINC, '2106-3') }))).toEqual(['reproductive']);
  });

  it('keywords in coded displays and texts, also in reasons; never narrative', () => {
    expect(sensitiveFlags(cond({ text: 'Opioid use disorder, in remission' }))).toEqual(['substance-use']);
    expect(sensitiveFlags({ resourceType: 'Encounter', reasonCode: [{ text: 'Prenatal visit' }] })).toEqual(['reproductive']);
    expect(sensitiveFlags(labObservation({ text: { status: 'generated', div: '<div>history of depression</div>' } }))).toEqual([]);
    expect(sensitiveFlags(cond({ text: 'Type 2 diabetes' }))).toEqual([]);
  });

  it('categorize returns both', () => {
    expect(categorize(cond(coded(ICD, 'F41.1', 'Generalized anxiety disorder')))).toEqual({ category: 'conditions', sensitive: ['mental-health'] });
  });
});
