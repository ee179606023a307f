import { describe, it, expect } from 'vitest';
import {
  ALL_SCOPES, SENSITIVE_SCOPES, STANDARD_SCOPES, Scope, ScopeError, categoryOfResource, describeMask, parseScope,
  parseScopes, scopeMask,
} from '../../../shared/chain/scopes';

describe('parseScope', () => {
  it('maps resource scopes and categories to bits', () => {
    expect(parseScope('patient/Observation.rs?category=laboratory').mask).toBe(Scope.LABS);
    expect(parseScope('patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs').mask).toBe(Scope.VITALS);
    expect(parseScope('patient/Observation.rs?category=laboratory,vital-signs').mask).toBe(scopeMask(Scope.LABS, Scope.VITALS));
    expect(parseScope('patient/Observation.r').mask).toBe(scopeMask(Scope.LABS, Scope.VITALS, Scope.IMAGING));
    expect(parseScope('patient/MedicationRequest.rs').mask).toBe(Scope.MEDICATIONS);
    expect(parseScope('patient/AllergyIntolerance.s').mask).toBe(Scope.ALLERGIES);
    expect(parseScope('patient/Patient.r').mask).toBe(Scope.DEMOGRAPHICS);
  });

  it('patient/*.rs is every standard category and never a sensitive one', () => {
    const { mask, read, write } = parseScope('patient/*.rs');
    expect(mask).toBe(STANDARD_SCOPES);
    expect(mask & SENSITIVE_SCOPES).toBe(0);
    expect([read, write]).toEqual([true, false]);
  });

  it('sensitive categories only when named through _security', () => {
    expect(parseScope('patient/*.rs?_security=PSY').mask).toBe(Scope.MENTAL_HEALTH);
    expect(parseScope('patient/*.rs?_security=http://terminology.hl7.org/CodeSystem/v3-ActCode|ETH').mask).toBe(Scope.SUBSTANCE_USE);
    expect(parseScope('patient/Observation.rs?_security=SEX,PSY').mask).toBe(scopeMask(Scope.REPRODUCTIVE, Scope.MENTAL_HEALTH));
  });

  it('create/update give the distinct WRITE bit (unsigned)', () => {
    expect(parseScope('patient/Observation.cu').mask).toBe(Scope.WRITE);
    expect(parseScope('patient/Observation.c').mask).toBe(0x8000_0000);
    expect(parseScope('patient/Observation.crus').mask).toBe(scopeMask(Scope.WRITE, Scope.LABS, Scope.VITALS, Scope.IMAGING));
    expect(parseScope('patient/*.crus').mask).toBe(scopeMask(STANDARD_SCOPES, Scope.WRITE));
  });

  it.each([
    ['user/Observation.rs', /context/],
    ['system/*.rs', /context/],
    ['patient/Observation.read', /v1/],
    ['patient/*.*', /v1/],
    ['patient/Observation.sr', /cruds/],
    ['patient/Observation.rr', /cruds/],
    ['patient/Observation.rd', /delete/],
    ['patient/Spaceship.rs', /unsupported resource/],
    ['patient/Observation.rs?category=social-history', /unknown Observation category/],
    ['patient/*.rs?category=laboratory', /take no category/],
    ['patient/Immunization.rs?category=x', /take no category/],
    ['patient/Observation.rs?code=1234-5', /unsupported query parameter/],
    ['patient/Observation.rs?category=laboratory&category=vital-signs', /repeated/],
    ['patient/Observation.rs?category=', /malformed/],
    ['patient/*.rs?_security=XYZ', /unknown security label/],
    ['patient/*.rs?_security=http://example.org|PSY', /bad token/],
    ['Observation.rs', /not a SMART v2/],
  ])('rejects %s', (scope, reason) => {
    expect(() => parseScopes(scope)).toThrow(ScopeError);
    expect(() => parseScopes(scope)).toThrow(reason);
  });
});

describe('parseScopes', () => {
  it('unions data scopes and reports (not drops) non-data SMART scopes', () => {
    const r = parseScopes('openid fhirUser launch/patient patient/Observation.rs?category=laboratory patient/Condition.rs patient/Observation.c');
    expect(r.mask).toBe(scopeMask(Scope.LABS, Scope.CONDITIONS, Scope.WRITE));
    expect(r.ignored).toEqual(['openid', 'fhirUser', 'launch/patient']);
    expect(r.scopes.map((s) => s.resourceType)).toEqual(['Observation', 'Condition', 'Observation']);
  });

  it('one bad scope fails the whole request', () => {
    expect(() => parseScopes(['patient/*.rs', 'patient/Unknown.rs'])).toThrow(/Unknown/);
  });

  it('a request with no record scope is an error', () => {
    expect(() => parseScopes('openid fhirUser')).toThrow(/no record scope/);
    expect(() => parseScopes('')).toThrow(ScopeError);
  });
});

describe('describeMask and bit constants', () => {
  it('names bits and refuses bits the contract rejects', () => {
    expect(describeMask(scopeMask(Scope.LABS, Scope.WRITE))).toEqual(['LABS', 'WRITE']);
    expect(() => describeMask(1 << 12)).toThrow(/unknown scope bits/);
    expect(ALL_SCOPES).toBe(0x8007_0fff);
  });
});

describe('categoryOfResource', () => {
  it('classifies by type and category, sensitivity labels first', () => {
    const lab = { resourceType: 'Observation', category: [{ coding: [{ code: 'laboratory' }] }] };
    expect(categoryOfResource(lab)).toBe(Scope.LABS);
    expect(categoryOfResource({ resourceType: 'Observation', category: [{ coding: [{ code: 'vital-signs' }] }] })).toBe(Scope.VITALS);
    expect(categoryOfResource({ resourceType: 'Observation' })).toBe(Scope.LABS);
    expect(categoryOfResource({ resourceType: 'DocumentReference', category: [{ coding: [{ code: 'clinical-note' }] }] })).toBe(Scope.NOTES);
    expect(categoryOfResource({ resourceType: 'Immunization' })).toBe(Scope.IMMUNIZATIONS);
    expect(categoryOfResource({ ...lab, meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH' }] } })).toBe(Scope.SUBSTANCE_USE);
    expect(categoryOfResource({ ...lab, meta: { security: [{ system: 'http://other', code: 'ETH' }] } })).toBe(Scope.LABS);
    expect(() => categoryOfResource({ resourceType: 'Spaceship' })).toThrow(/unsupported/);
  });
});
