import { describe, expect, it } from 'vitest';
import { parseQuery, dateMatches, parseDateBound, needsResourceCheck } from '../../../extension/fhir-search/query';
import { entryMatches, resourceMatches } from '../../../extension/fhir-search/match';
import { SearchParams } from '../../../shared/protocol/page';

const t = (iso: string) => Date.parse(iso);

describe('securemed_search query', () => {
  it('date prefixes follow FHIR over partial dates', () => {
    const b = (raw: string) => parseDateBound(raw, 'date');
    expect(dateMatches(t('2020-06-01T00:00:00Z'), b('2020'))).toBe(true);
    expect(dateMatches(t('2021-01-01T00:00:00Z'), b('2020'))).toBe(false);
    expect(dateMatches(t('2020-12-31T23:59:59Z'), b('le2020'))).toBe(true);
    expect(dateMatches(t('2021-01-01T00:00:00Z'), b('le2020'))).toBe(false);
    expect(dateMatches(t('2020-12-31T00:00:00Z'), b('gt2020'))).toBe(false);
    expect(dateMatches(t('2021-01-01T00:00:00Z'), b('gt2020'))).toBe(true);
    expect(dateMatches(t('2019-12-31T23:59:59Z'), b('lt2020-01'))).toBe(true);
    expect(dateMatches(t('2020-01-01T00:00:00Z'), b('lt2020-01'))).toBe(false);
    expect(dateMatches(t('2020-03-01T00:00:00Z'), b('ge2020-03-01'))).toBe(true);
    expect(dateMatches(Number.NEGATIVE_INFINITY, b('ge1900'))).toBe(false); // undated never matches a date filter
  });

  it('refuses what it cannot honour instead of dropping a filter', () => {
    expect(() => parseQuery({ _type: 'Observation,Practitioner' })).toThrow(/Practitioner/);
    expect(() => parseQuery({ date: 'ge2021-02-30' })).toThrow(/not a real date/);
    expect(() => parseQuery({ code: 'http://loinc.org|' })).toThrow(/code/);
    expect(SearchParams.safeParse({ date: 'sa2020' }).success).toBe(false);
    expect(SearchParams.safeParse({ _count: 201 }).success).toBe(false);
    expect(SearchParams.safeParse({ _foo: 1 }).success).toBe(false);
    expect(SearchParams.safeParse(JSON.parse('{"__proto__": {"x": 1}}')).success).toBe(false);
  });

  it('index-level checks narrow by type, date and code text; the resource decides code systems', () => {
    const q = parseQuery({ _type: 'Observation', code: 'http://loinc.org|2345-7', date: ['ge2020', 'lt2021'] });
    expect(needsResourceCheck(q)).toBe(true);
    const entry = { resourceType: 'Observation', category: 'labs' as const, time: t('2020-05-05T00:00:00Z'), text: 'glucose 2345-7' };
    expect(entryMatches(entry, q)).toBe(true);
    expect(entryMatches({ ...entry, time: t('2021-05-05T00:00:00Z') }, q)).toBe(false);
    expect(entryMatches({ ...entry, text: 'hba1c 4548-4' }, q)).toBe(false);
    expect(entryMatches({ ...entry, resourceType: 'Condition' }, q)).toBe(false);
    const obs = (system: string | undefined) => ({ resourceType: 'Observation', code: { coding: [{ ...(system ? { system } : {}), code: '2345-7' }] } });
    expect(resourceMatches(obs('http://loinc.org'), q)).toBe(true);
    expect(resourceMatches(obs('http://example.org'), q)).toBe(false);
    expect(resourceMatches(obs(undefined), parseQuery({ code: '|2345-7' }))).toBe(true);
    expect(resourceMatches(obs('http://loinc.org'), parseQuery({ code: '|2345-7' }))).toBe(false);
    expect(resourceMatches(obs('http://example.org'), parseQuery({ code: '2345-7' }))).toBe(true);
  });

  it('category and _lastUpdated are checked on the resource', () => {
    const lab = { resourceType: 'Observation', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }], meta: { lastUpdated: '2024-02-03T10:00:00Z' } };
    expect(resourceMatches(lab, parseQuery({ category: 'laboratory' }))).toBe(true);
    expect(resourceMatches(lab, parseQuery({ category: 'vital-signs' }))).toBe(false);
    expect(entryMatches({ resourceType: 'Observation', category: 'vitals', time: 0, text: '' }, parseQuery({ category: 'laboratory' }))).toBe(false);
    expect(resourceMatches(lab, parseQuery({ _lastUpdated: 'ge2024-02' }))).toBe(true);
    expect(resourceMatches(lab, parseQuery({ _lastUpdated: 'lt2024-02-03' }))).toBe(false);
    expect(resourceMatches({ resourceType: 'Observation' }, parseQuery({ _lastUpdated: 'ge1900' }))).toBe(false);
  });

  it('_summary=count and _count=0 ask for the total only', () => {
    expect(parseQuery({ _summary: 'count' }).summaryCount).toBe(true);
    expect(parseQuery({ _count: 0 }).summaryCount).toBe(true);
    expect(parseQuery({}).count).toBe(50);
  });
});
