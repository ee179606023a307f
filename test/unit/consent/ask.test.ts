import { describe, expect, it } from 'vitest';
import { Scope, scopeMask } from '../../../shared/chain/scopes';
import { grantedMask, keptScopes, parseAskScopes } from '../../../extension/consent/ask';
import { registrableDomain } from '../../../extension/consent/views';

describe('what the patient grants', () => {
  const labsMedsMental = parseAskScopes(['patient/Observation.rs?category=laboratory', 'patient/MedicationRequest.rs', 'patient/*.rs?_security=PSY']).mask;

  it('leaves sensitive categories out unless the patient ticked them', () => {
    expect(grantedMask(labsMedsMental, undefined)).toBe(scopeMask(Scope.LABS, Scope.MEDICATIONS));
    expect(grantedMask(labsMedsMental, { categories: ['LABS', 'MEDICATIONS'], durationDays: 30 })).toBe(scopeMask(Scope.LABS, Scope.MEDICATIONS));
    expect(grantedMask(labsMedsMental, { categories: ['LABS', 'MENTAL_HEALTH'], durationDays: 30 })).toBe(scopeMask(Scope.LABS, Scope.MENTAL_HEALTH));
  });

  it('never grants a category that was not asked for, and keeps only the scopes that still name one', () => {
    const mask = grantedMask(labsMedsMental, { categories: ['LABS', 'VITALS', 'IMAGING'], durationDays: 30 });
    expect(mask).toBe(Scope.LABS);
    expect(keptScopes(['patient/Observation.rs?category=laboratory', 'patient/MedicationRequest.rs'], mask)).toEqual(['patient/Observation.rs?category=laboratory']);
  });

  it('refuses scopes it does not understand with -32602', () => {
    expect(() => parseAskScopes(['patient/Observation.read'])).toThrow(expect.objectContaining({ code: -32602 }));
  });
});

describe('registrable domain (display only)', () => {
  it('emphasises the part people recognise', () => {
    expect(registrableDomain('https://portal.riverside-health.org')).toBe('riverside-health.org');
    expect(registrableDomain('https://my.gp.nhs.uk')).toBe('gp.nhs.uk');
    expect(registrableDomain('http://127.0.0.1:5173')).toBe('127.0.0.1');
  });
});
