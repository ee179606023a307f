import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryCovered, permitOf, resourceCovered } from '../../../extension/fhir-search/coverage';
import { searchLink, searchsetBundle, siteFullUrl } from '../../../extension/fhir-search/bundle';
import { Scope, scopeMask } from '../../../shared/chain/scopes';

const labsAndMeds = ['patient/Observation.rs?category=laboratory', 'patient/MedicationRequest.rs'];
const LAB = { resourceType: 'Observation', category: [{ coding: [{ code: 'laboratory' }] }] };
const VITAL = { resourceType: 'Observation', category: [{ coding: [{ code: 'vital-signs' }] }] };

describe('what a permit covers', () => {
  const permit = permitOf('0x' + '1'.repeat(40), scopeMask(Scope.LABS, Scope.MEDICATIONS), scopeMask(Scope.LABS, Scope.MEDICATIONS), labsAndMeds);

  it('SMART scopes finer than the chain bits are enforced locally', () => {
    // MedicationStatement is MEDICATIONS on chain, but the scope names MedicationRequest only.
    expect(entryCovered([permit], { resourceType: 'MedicationRequest', category: 'medications', sensitive: [] })).toBe(true);
    expect(entryCovered([permit], { resourceType: 'MedicationStatement', category: 'medications', sensitive: [] })).toBe(false);
    expect(entryCovered([permit], { resourceType: 'Observation', category: 'labs', sensitive: [] })).toBe(true);
    expect(entryCovered([permit], { resourceType: 'Observation', category: 'vitals', sensitive: [] })).toBe(false);
    expect(resourceCovered([permit], LAB, [])).toBe(true);
    expect(resourceCovered([permit], VITAL, [])).toBe(false);
  });

  it('the chain is the upper bound: a bit the chain lacks is not covered even if the scope names it', () => {
    const chainOnlyMeds = permitOf(permit.grantee, scopeMask(Scope.LABS, Scope.MEDICATIONS), Scope.MEDICATIONS, labsAndMeds);
    expect(resourceCovered([chainOnlyMeds], LAB, [])).toBe(false);
    expect(resourceCovered([chainOnlyMeds], { resourceType: 'MedicationRequest' }, [])).toBe(true);
  });

  it('sensitive records only when the grant includes that category, labelled or only flagged', () => {
    const labelled = { ...LAB, meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' }] } };
    expect(resourceCovered([permit], labelled, ['mental-health'])).toBe(false);
    expect(entryCovered([permit], { resourceType: 'Observation', category: 'labs', sensitive: ['mental-health'] })).toBe(false);
    const withPsy = permitOf(permit.grantee, scopeMask(Scope.LABS, Scope.MENTAL_HEALTH), scopeMask(Scope.LABS, Scope.MENTAL_HEALTH), [...labsAndMeds, 'patient/Observation.rs?_security=PSY']);
    expect(resourceCovered([withPsy], labelled, ['mental-health'])).toBe(true);
    expect(resourceCovered([withPsy], LAB, ['mental-health'])).toBe(true);
  });

  it('no permit, or a type outside the consent categories, covers nothing', () => {
    expect(resourceCovered([], LAB, [])).toBe(false);
    expect(resourceCovered([permit], { resourceType: 'Practitioner' }, [])).toBe(false);
    expect(resourceCovered([permit], null, [])).toBe(false);
  });
});

describe('searchset bundle', () => {
  it('self and next links carry the params back; entries carry fullUrl and search.mode', async () => {
    const b = searchsetBundle({ self: { _type: 'Observation', date: ['ge2020', 'lt2021'] }, next: { _type: 'Observation', _offset: 50 }, entries: [{ fullUrl: 'urn:uuid:x', resource: LAB, search: { mode: 'match' } }] });
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(b.link).toEqual([
      { relation: 'self', url: 'securemed:search?_type=Observation&date=ge2020&date=lt2021' },
      { relation: 'next', url: 'securemed:search?_type=Observation&_offset=50' },
    ]);
    expect(searchLink({})).toBe('securemed:search?');
  });

  it('fullUrl is a uuid per (site, record): two sites cannot match records by it', () => {
    const a = siteFullUrl('https://a.example', 'rec-1');
    expect(a).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(siteFullUrl('https://a.example', 'rec-1')).toBe(a);
    expect(siteFullUrl('https://b.example', 'rec-1')).not.toBe(a);
  });

  it('fullUrl is SHA-256 of "SecureMed fullUrl v1\\n<origin>\\n<id>" shaped as a v4 uuid (node:crypto as the reference)', () => {
    // Sites keep fullUrls across sessions: the value must never change with how it is computed.
    for (const [origin, id] of [['https://a.example', 'rec-1'], ['http://localhost:5173', crypto.randomUUID()], ['https://ü.example', 'é']] as const) {
      const d = createHash('sha256').update(`SecureMed fullUrl v1\n${origin}\n${id}`, 'utf8').digest();
      d[6] = (d[6]! & 0x0f) | 0x40;
      d[8] = (d[8]! & 0x3f) | 0x80;
      const h = d.subarray(0, 16).toString('hex');
      expect(siteFullUrl(origin, id)).toBe(`urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
    }
  });
});

describe('asking outside the permission', () => {
  const permit = permitOf('0x' + '1'.repeat(40), scopeMask(Scope.LABS, Scope.MEDICATIONS), scopeMask(Scope.LABS, Scope.MEDICATIONS), labsAndMeds);
  it('names the type or category the site may not read', async () => {
    const { askedOutside } = await import('../../../extension/fhir-search/coverage');
    expect(askedOutside([permit], { types: new Set(['Condition']) })).toMatch(/Condition/);
    expect(askedOutside([permit], { categories: [{ code: 'vital-signs' }] })).toMatch(/vital-signs/);
    expect(askedOutside([permit], { types: new Set(['Observation']), categories: [{ code: 'vital-signs' }] })).toMatch(/vital-signs/);
    expect(askedOutside([permit], { types: new Set(['Observation', 'Condition']) })).toBeUndefined();
    expect(askedOutside([permit], { categories: [{ code: 'laboratory' }] })).toBeUndefined();
    expect(askedOutside([permit], { categories: [{ code: 'some-local-code' }] })).toBeUndefined();
    expect(askedOutside([permit], {})).toBeUndefined();
  });
});
