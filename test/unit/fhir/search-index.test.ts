import { describe, expect, it } from 'vitest';
import { indexEntry, normalize, search, summarize, type IndexEntry } from '../../../shared/fhir/index.js';
import { generateCorpus } from '../../../shared/fhir/synthetic/index.js';
import { fixtureJson, labObservation } from './helpers.js';

function entries(): IndexEntry[] {
  return [
    labObservation({ id: 'g1', effectiveDateTime: '2021-01-10', performer: [{ display: 'Dr. Ana Ortíz' }] }),
    labObservation({ id: 'g2', effectiveDateTime: '2023-06-01', performer: [{ display: 'Dr. Tobias Winterbourne' }] }),
    labObservation({ id: 'g3', effectiveDateTime: undefined, performer: [{ display: 'Dr. Ana Ortiz' }] }),
    fixtureJson('observation-blood-pressure.json'),
    { resourceType: 'Condition', id: 'c1', code: { text: 'Type 2 diabetes mellitus' }, onsetDateTime: '2019-05' },
    { resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'Metformin 500 mg' }, authoredOn: '2019-06-01', reasonCode: [{ text: 'Type 2 diabetes mellitus' }] },
  ].map((r) => indexEntry(JSON.parse(JSON.stringify(r))));
}

describe('indexEntry', () => {
  it('derives id, category, date and lowercased searchable text', () => {
    const e = indexEntry(labObservation({ performer: [{ display: 'Dr. Ana Ortiz' }] }));
    expect(e).toMatchObject({ id: 'Observation/glucose-1', category: 'labs', date: '2022-04-05T08:00:00Z', title: 'Glucose' });
    for (const term of ['glucose', '104 mg/dl', 'dr. ana ortiz', '2345-7']) expect(e.text).toContain(term);
    expect(e.text).toBe(e.text.toLowerCase());
  });

  it('reuses a summary when given one', () => {
    const r = fixtureJson('observation-blood-pressure.json');
    expect(indexEntry(r, summarize(r))).toEqual(indexEntry(r));
  });
});

describe('search', () => {
  const idx = entries();
  const ids = (hits: IndexEntry[]) => hits.map((h) => h.id);

  it('all words must match, in any order, case- and accent-insensitive', () => {
    expect(ids(search(idx, 'ORTIZ glucose'))).toEqual(['Observation/g1', 'Observation/g3']);
    expect(ids(search(idx, 'glucose winterbourne'))).toEqual(['Observation/g2']);
    expect(search(idx, 'glucose cardiology')).toEqual([]);
    expect(ids(search(idx, '  Diabetes   TYPE '))).toEqual(['MedicationRequest/m1', 'Condition/c1']);
    expect(ids(search(idx, '120/80'))).toEqual(['Observation/blood-pressure-1']);
    expect(ids(search(idx, 'diabetes 2019-05'))).toEqual(['Condition/c1']); // the record's date is searchable
    expect(normalize('  Ortíz\tÁna ')).toBe('ortiz ana');
  });

  it('filters by category and sorts newest first, undated last', () => {
    expect(ids(search(idx, 'diabetes', { categories: ['conditions'] }))).toEqual(['Condition/c1']);
    expect(ids(search(idx, '', { categories: ['labs'] }))).toEqual(['Observation/g2', 'Observation/g1', 'Observation/g3']);
    expect(ids(search(idx, '', { categories: ['labs'], sort: 'date-asc' }))).toEqual(['Observation/g1', 'Observation/g2', 'Observation/g3']);
    const all = search(idx, '');
    expect(all.length).toBe(idx.length);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.time).toBeGreaterThanOrEqual(all[i]!.time);
  });

  it('date range (partial dates inclusive) and limit', () => {
    expect(ids(search(idx, '', { from: '2019', to: '2019' }))).toEqual(['MedicationRequest/m1', 'Condition/c1']);
    expect(ids(search(idx, '', { from: '2021-01-10', to: '2023-06' }))).toEqual(['Observation/g2', 'Observation/g1']);
    expect(search(idx, '', { limit: 2 }).length).toBe(2);
  });

  it('10,000 synthetic records: correct hits, timing printed', () => {
    const corpus = generateCorpus(10_000, { seed: 99 });
    let t = performance.now();
    const index = corpus.map((r) => indexEntry(r));
    const buildMs = performance.now() - t;
    const queries = ['glucose', 'ortiz-valcourt glucose', 'blood pressure', 'hypertension 2019', 'zzz-no-match', ''];
    const timings: string[] = [];
    for (const q of queries) {
      search(index, q); // warm
      t = performance.now();
      const hits = search(index, q, { categories: q === 'blood pressure' ? ['vitals'] : undefined });
      timings.push(`"${q}" ${(performance.now() - t).toFixed(2)} ms (${hits.length} hits)`);
      const words = normalize(q).split(' ').filter(Boolean);
      for (const h of hits) for (const w of words) expect(h.text).toContain(w);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.time).toBeGreaterThanOrEqual(hits[i]!.time);
    }
    // Every glucose lab (LOINC 2345-7) is found by its code, and among the labs matching "glucose"
    // (which also include lab reports whose conclusion mentions glucose).
    const glucoseIds = corpus.filter((r) => JSON.stringify(r.code ?? '').includes('"2345-7"')).map((r) => `Observation/${r.id}`);
    expect(glucoseIds.length).toBeGreaterThan(0);
    expect(ids(search(index, '2345-7')).sort()).toEqual([...glucoseIds].sort());
    const byWord = new Set(ids(search(index, 'glucose', { categories: ['labs'] })));
    for (const id of glucoseIds) expect(byWord.has(id)).toBe(true);
    console.log(`[timing] index build for 10,000 records: ${buildMs.toFixed(1)} ms; queries: ${timings.join('; ')}`);
  }, 60_000); // 10,000 records on a shared 2-core CI machine: a generous limit, nothing timed
});
