import { afterEach, describe, expect, it, vi } from 'vitest';
import { categoryOf, entriesFromJson, importEntries, sniffDocumentType, summarize, validateResource } from '../../../shared/fhir/index.js';
import { generateBundle, generateCorpus, INVALID_KINDS, markersIn, MARKERS, mulberry32, tinyPdf } from '../../../shared/fhir/synthetic/index.js';

afterEach(() => vi.restoreAllMocks());

describe('mulberry32', () => {
  it('is deterministic and roughly uniform', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const n = mulberry32(5);
    const normals = Array.from({ length: 10_000 }, () => n.normal(100, 10));
    const nm = normals.reduce((s, x) => s + x, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((s, x) => s + (x - nm) ** 2, 0) / normals.length);
    expect(Math.abs(nm - 100)).toBeLessThan(0.5);
    expect(Math.abs(sd - 10)).toBeLessThan(0.5);
  });
});

describe('generateCorpus', () => {
  it('same seed → identical output; another seed → different output; no Math.random or clock', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    const a = JSON.stringify(generateCorpus(500, { seed: 2024 }));
    expect(JSON.stringify(generateCorpus(500, { seed: 2024 }))).toBe(a);
    expect(JSON.stringify(generateCorpus(500, { seed: 2025 }))).not.toBe(a);
  });

  it('10,000 records: unique ids, all valid, ~2 KB average, spread over years (timing printed)', () => {
    const t0 = performance.now();
    const corpus = generateCorpus(10_000, { seed: 1 });
    const genMs = performance.now() - t0;
    expect(corpus.length).toBe(10_000);
    expect(new Set(corpus.map((r) => `${r.resourceType}/${r.id}`)).size).toBe(10_000);
    const t1 = performance.now();
    const invalid = corpus.map((r) => [r.id, validateResource(r)] as const).filter(([, v]) => !v.ok);
    const validateMs = performance.now() - t1;
    expect(invalid).toEqual([]);
    const sizes = corpus.map((r) => new TextEncoder().encode(JSON.stringify(r)).length);
    const avg = sizes.reduce((s, x) => s + x, 0) / sizes.length;
    expect(avg).toBeGreaterThan(1500);
    expect(avg).toBeLessThan(3000);
    const years = new Set(corpus.map((r) => summarize(r).date?.slice(0, 4)).filter(Boolean));
    expect(years.size).toBeGreaterThanOrEqual(8);
    const cats = new Set(corpus.map((r) => categoryOf(r)));
    for (const c of ['labs', 'vitals', 'medications', 'conditions', 'allergies', 'immunizations', 'procedures', 'documents', 'notes', 'encounters', 'imaging', 'demographics']) {
      expect(cats.has(c as never), c).toBe(true);
    }
    console.log(`[timing] generateCorpus(10,000): ${genMs.toFixed(1)} ms; validate all: ${validateMs.toFixed(1)} ms; average ${Math.round(avg)} bytes (min ${Math.min(...sizes)}, max ${Math.max(...sizes)})`);
  }, 60_000); // 10,000 records on a shared 2-core CI machine: a generous limit, nothing timed

  it('has the realistic codes the tests and bench rely on', () => {
    const text = JSON.stringify(generateCorpus(1500, { seed: 8 }));
    for (const code of ['2345-7', '718-7', '2160-0', '6690-2', '85354-9', '8480-6', '8462-4', '8867-4', '29463-7', '8310-5']) {
      expect(text, code).toContain(`"code":"${code}"`);
    }
    expect(text).toContain('"system":"http://hl7.org/fhir/sid/cvx"');
    expect(text).toContain('"system":"http://hl7.org/fhir/sid/icd-10-cm"');
    expect(text).toContain('"system":"http://www.nlm.nih.gov/research/umls/rxnorm"');
    expect(text).toContain('"interpretation"');
    expect(text).toContain('"referenceRange"');
  });

  it('documents carry a real PDF or a text note; some records are sensitive', () => {
    const corpus = generateCorpus(800, { seed: 4 });
    const docs = corpus.filter((r) => r.resourceType === 'DocumentReference');
    const kinds = new Set<string>();
    for (const d of docs) {
      const att = (d.content as Array<{ attachment: { contentType: string; data: string; size: number } }>)[0]!.attachment;
      const bytes = Buffer.from(att.data, 'base64');
      expect(bytes.length).toBe(att.size);
      kinds.add(att.contentType.split(';')[0]!);
      if (att.contentType === 'application/pdf') expect(sniffDocumentType(bytes)).toBe('application/pdf');
      else expect(bytes.toString('utf8')).toMatch(/note|summary/i);
    }
    expect([...kinds].sort()).toEqual(['application/pdf', 'text/plain']);
    expect(corpus.some((r) => summarize(r).sensitive.length > 0)).toBe(true);
    expect(sniffDocumentType(tinyPdf('hello (world)'))).toBe('application/pdf');
  });

  it('every marker string appears in plaintext in a corpus of 200+', () => {
    expect(MARKERS.length).toBeGreaterThan(10);
    expect(markersIn(generateCorpus(200, { seed: 77 }))).toEqual([...MARKERS]);
    expect(markersIn(generateCorpus(200, { seed: 77, includePatient: false }))).toEqual([...MARKERS]);
    expect(markersIn([{ resourceType: 'Observation' }])).toEqual([]);
  });
});

describe('generateBundle', () => {
  it('deliberately invalid entries are rejected with the expected code and a reason; the rest accepted', async () => {
    const { bundle, expected } = generateBundle(300, { seed: 9, invalid: 21 });
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(expected.length).toBe(300);
    expect(expected.filter((e) => !e.ok).length).toBe(21);
    const kinds = new Set(expected.flatMap((e) => (e.ok ? [] : [e.kind])));
    expect([...kinds].sort()).toEqual([...INVALID_KINDS].sort());
    const p = entriesFromJson(JSON.parse(JSON.stringify(bundle)));
    if (!p.ok) throw new Error(p.reason);
    const { outcomes, accepted, rejected } = await importEntries(p.entries);
    expect([accepted, rejected]).toEqual([279, 21]);
    for (const [i, e] of expected.entries()) {
      const o = outcomes[i]!;
      expect(o.index).toBe(e.index);
      expect(o.ok, `entry ${i}`).toBe(e.ok);
      if (!e.ok && !o.ok) {
        expect(o.code, `entry ${i} (${e.kind})`).toBe(e.code);
        expect(o.reason.length).toBeGreaterThan(15);
      }
    }
  });

  it('is deterministic and spreads invalid entries through the bundle', () => {
    const a = generateBundle(200, { seed: 3, invalid: 10, kinds: ['missing-code', 'bad-date'] });
    const b = generateBundle(200, { seed: 3, invalid: 10, kinds: ['missing-code', 'bad-date'] });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const positions = a.expected.filter((e) => !e.ok).map((e) => e.index);
    expect(Math.max(...positions) - Math.min(...positions)).toBeGreaterThan(50);
  });
});
