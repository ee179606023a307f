import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  entriesFromJson, importEntries, importFile, parseImportText, sniffDocumentType, summarize, toEntries, wrapDocument,
  type EntryOutcome, type ImportProgress,
} from '../../../shared/fhir/index.js';
import { generateBundle, tinyPdf } from '../../../shared/fhir/synthetic/index.js';
import { fixture, fixtureJson, labObservation } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const okOf = (outcomes: EntryOutcome[]) => outcomes.filter((o) => o.ok);

describe('parseImportText / entriesFromJson', () => {
  it('a single resource is one entry', () => {
    const p = parseImportText(JSON.stringify(labObservation()));
    expect(p.ok && p.kind).toBe('resource');
    expect(p.ok && p.entries.length).toBe(1);
  });

  for (const type of ['collection', 'searchset', 'transaction', 'batch'] as const) {
    it(`a ${type} Bundle gives entry[].resource, request metadata ignored`, async () => {
      const { bundle, expected } = generateBundle(25, { seed: 7, type });
      const p = entriesFromJson(bundle);
      if (!p.ok) throw new Error(p.reason);
      expect(p.bundleType).toBe(type);
      const report = await importEntries(p.entries);
      expect(report.accepted).toBe(expected.length);
      for (const o of okOf(report.outcomes)) {
        expect(o.resource).not.toHaveProperty('request');
        expect(o.resource).not.toHaveProperty('search');
      }
    });
  }

  it('a document Bundle (Composition first) imports the Composition and its sections', async () => {
    const composition = {
      resourceType: 'Composition', id: 'c1', status: 'final', type: { coding: [{ system: 'http://loinc.org', code: '34133-9', display: 'Summary of episode note' }] },
      date: '2024-01-02T10:00:00Z', title: 'Visit summary', author: [{ display: 'Dr. Ana Ortiz' }],
    };
    const p = entriesFromJson({ resourceType: 'Bundle', type: 'document', entry: [{ resource: composition }, { resource: labObservation() }] });
    if (!p.ok) throw new Error(p.reason);
    const report = await importEntries(p.entries);
    expect(report.accepted).toBe(2);
  });

  it('transaction fixture: request ignored, DELETE and Practitioner entries reported, ids from urn:uuid', async () => {
    const p = entriesFromJson(fixtureJson('bundle-transaction.json'));
    if (!p.ok) throw new Error(p.reason);
    const { outcomes } = await importEntries(p.entries);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, false]);
    const [cond, imm, prac, del] = outcomes;
    expect(cond!.ok && cond!.resource.id).toBe('61ebe359-bfdc-4613-8bf2-c5e300945f0a');
    expect(imm!.ok && imm!.resource.id).toBe('88f151c0-a954-468a-88bd-5ae15c08e059');
    expect(!prac!.ok && prac!.code).toBe('unsupported-resource-type');
    expect(!prac!.ok && prac!.resourceType).toBe('Practitioner');
    expect(!del!.ok && del!.code).toBe('no-resource');
    expect(!del!.ok && del!.reason).toMatch(/delete/);
  });

  it('refuses bundle types that hold no importable records, with the reason', () => {
    for (const type of ['history', 'message', 'transaction-response', 'batch-response', 'bogus']) {
      const p = entriesFromJson({ resourceType: 'Bundle', type, entry: [{ resource: labObservation() }] });
      expect(p.ok, type).toBe(false);
      if (!p.ok) {
        expect(p.code).toBe('unsupported-bundle');
        expect(p.reason).toMatch(/Nothing was imported/);
      }
    }
    const untyped = entriesFromJson({ resourceType: 'Bundle', entry: [] });
    expect(!untyped.ok && untyped.code).toBe('unsupported-bundle');
    const badEntries = entriesFromJson({ resourceType: 'Bundle', type: 'collection', entry: { resource: {} } });
    expect(!badEntries.ok && badEntries.code).toBe('bad-structure');
  });

  it('refuses junk with a clear reason', () => {
    const junk: Array<[string, string]> = [
      ['', 'not-json'], ['hello', 'not-json'], ['[]', 'not-json'], ['42', 'not-json'],
      ['<html><body>portal login</body></html>', 'not-json'], ['<svg xmlns="http://www.w3.org/2000/svg"/>', 'not-json'],
      ['{"resourceType": "Observation", ', 'not-json'],
    ];
    for (const [text, code] of junk) {
      const p = parseImportText(text);
      expect(p.ok, text).toBe(false);
      if (!p.ok) {
        expect(p.code).toBe(code);
        expect(p.reason.length).toBeGreaterThan(20);
      }
    }
    expect(entriesFromJson([labObservation()]).ok).toBe(false);
  });

  it('reads FHIR bulk-export NDJSON, one resource per line', async () => {
    const text = [labObservation({ id: 'a' }), labObservation({ id: 'b' })].map((r) => JSON.stringify(r)).join('\n') + '\n{broken\n';
    const p = parseImportText(text);
    if (!p.ok) throw new Error(p.reason);
    expect(p.kind).toBe('ndjson');
    const report = await importEntries(p.entries);
    expect([report.accepted, report.rejected]).toEqual([2, 1]);
    expect(report.outcomes[2]).toMatchObject({ ok: false, code: 'not-json' });
  });

  it('total input size and entry count limits', () => {
    const text = JSON.stringify(labObservation({ note: [{ text: 'x'.repeat(3000) }] }));
    const p = parseImportText(text, { maxFileBytes: 2048 });
    expect(!p.ok && p.code).toBe('file-too-large');
    expect(!p.ok && p.reason).toMatch(/KB.*2 KB/);
    expect(parseImportText(text, { maxFileBytes: 8192 }).ok).toBe(true);
    const many = entriesFromJson({ resourceType: 'Bundle', type: 'collection', entry: Array.from({ length: 11 }, () => ({ resource: labObservation() })) }, { maxEntries: 10 });
    expect(!many.ok && many.code).toBe('too-many-entries');
  });
});

describe('importEntries: chunked, with progress', () => {
  it('reports progress for 1,500 entries and yields between chunks', async () => {
    const { bundle, expected } = generateBundle(1500, { seed: 3, invalid: 40, kinds: ['missing-code', 'bad-date', 'unknown-resource-type'] });
    const p = entriesFromJson(bundle);
    if (!p.ok) throw new Error(p.reason);
    const progress: ImportProgress[] = [];
    let yields = 0;
    const t0 = performance.now();
    const report = await importEntries(p.entries, {
      chunkSize: 100,
      onProgress: (x) => progress.push(x),
      yieldFn: async () => {
        yields++;
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    console.log(`[timing] import + validate 1,500 entries: ${(performance.now() - t0).toFixed(1)} ms`);
    expect(progress[0]).toEqual({ done: 0, total: 1500, accepted: 0, rejected: 0 });
    expect(progress.length).toBe(16);
    expect(yields).toBe(14);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.done).toBeGreaterThan(progress[i - 1]!.done);
    expect(progress.at(-1)).toEqual({ done: 1500, total: 1500, accepted: 1460, rejected: 40 });
    expect(report.outcomes.map((o) => o.index)).toEqual(expected.map((e) => e.index));
    expect(report.outcomes.map((o) => o.ok)).toEqual(expected.map((e) => e.ok));
  });

  it('lets other tasks run while importing (default yield)', async () => {
    const entries = toEntries(Array.from({ length: 1200 }, (_, i) => labObservation({ id: `g${i}` })));
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    let sawTickDuringImport = false;
    await importEntries(entries, { chunkSize: 50, onProgress: (p) => { if (p.done < p.total && ticked) sawTickDuringImport = true; } });
    expect(sawTickDuringImport).toBe(true);
  });

  it('can be cancelled with an AbortSignal', async () => {
    const entries = toEntries(Array.from({ length: 1000 }, () => labObservation()));
    const ac = new AbortController();
    const run = importEntries(entries, { chunkSize: 100, signal: ac.signal, onProgress: (p) => { if (p.done >= 200) ac.abort(); } });
    await expect(run).rejects.toThrow();
  });

  it('assigns ids to records without one, never modifying the input', async () => {
    const obs = labObservation();
    delete obs.id;
    const snapshot = JSON.stringify(obs);
    let n = 0;
    const { outcomes } = await importEntries(toEntries([obs]), { newId: () => `new-${++n}` });
    expect(outcomes[0]!.ok && outcomes[0]!.resource.id).toBe('new-1');
    expect(JSON.stringify(obs)).toBe(snapshot);
    const withDefault = await importEntries(toEntries([obs]));
    expect(withDefault.outcomes[0]!.ok && withDefault.outcomes[0]!.resource.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('PDF and image documents', () => {
  const pdf = tinyPdf('Lab report 2024-01-05');
  const png = new Uint8Array(fixture('pixel.png'));

  it('sniffs the type from the bytes, not the name or the claim', () => {
    expect(sniffDocumentType(pdf)).toBe('application/pdf');
    expect(sniffDocumentType(png)).toBe('image/png');
    expect(sniffDocumentType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(sniffDocumentType(enc('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeUndefined();
    expect(sniffDocumentType(enc('{"resourceType":"Patient"}'))).toBeUndefined();
  });

  it('wraps a PDF as a DocumentReference with an inline base64 attachment', () => {
    const r = wrapDocument({ bytes: pdf, filename: 'C:\\Users\\me\\Scans\\lab\u0007 report.pdf', mimeType: 'image/png', date: '2024-01-05T09:30:00Z', id: 'doc-1' });
    if (!r.ok) throw new Error(r.reason);
    const att = (r.resource.content as Array<{ attachment: Record<string, unknown> }>)[0]!.attachment;
    expect(r.resource).toMatchObject({ resourceType: 'DocumentReference', id: 'doc-1', status: 'current' });
    expect(att.contentType).toBe('application/pdf'); // the bytes win over the claimed image/png
    expect(att.title).toBe('lab report.pdf');
    expect(att.size).toBe(pdf.length);
    expect(att.creation).toBe('2024-01-05T09:30:00Z');
    expect(Buffer.from(att.data as string, 'base64').equals(Buffer.from(pdf))).toBe(true);
    expect(att).not.toHaveProperty('hash');
    const s = summarize(r.resource);
    expect(s.category).toBe('documents');
    expect(s.date).toBe('2024-01-05T09:30:00Z');
    expect(s.details).toContainEqual({ label: 'Size', value: `${pdf.length} bytes` });
  });

  it('adds the FHIR Attachment.hash (SHA-1, base64) only when asked', () => {
    const r = wrapDocument({ bytes: png, filename: 'pixel.png', includeHash: true });
    if (!r.ok) throw new Error(r.reason);
    const att = (r.resource.content as Array<{ attachment: Record<string, unknown> }>)[0]!.attachment;
    expect(att.contentType).toBe('image/png');
    expect(att.hash).toBe(createHash('sha1').update(png).digest('base64'));
  });

  it('base64-encodes a multi-MiB file exactly', () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 7);
    big.set(pdf);
    for (let i = pdf.length; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const r = wrapDocument({ bytes: big, filename: 'scan.pdf' });
    if (!r.ok) throw new Error(r.reason);
    const data = (r.resource.content as Array<{ attachment: { data: string } }>)[0]!.attachment.data;
    expect(data).toBe(Buffer.from(big).toString('base64'));
  });

  it('refuses files over the document limit (default 20 MiB) with a clear message', () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(pdf);
    const r = wrapDocument({ bytes: big, filename: 'huge-scan.pdf' });
    expect(!r.ok && r.code).toBe('file-too-large');
    expect(!r.ok && r.reason).toMatch(/"huge-scan.pdf" is 20 MB; documents can be at most 20 MB/);
  });

  it('refuses non-documents and bad dates', () => {
    const svg = wrapDocument({ bytes: enc('<svg/>'), filename: 'x.svg', mimeType: 'image/svg+xml' });
    expect(!svg.ok && svg.code).toBe('unsupported-file');
    const bad = wrapDocument({ bytes: pdf, filename: 'a.pdf', date: 'last week' });
    expect(!bad.ok && bad.code).toBe('bad-date');
  });

  it('importFile routes documents, JSON and junk', async () => {
    const doc = await importFile({ name: 'lab.pdf', type: 'application/pdf', bytes: pdf }, { newId: () => 'd1' });
    expect(doc.ok && doc.kind).toBe('document');
    expect(doc.ok && doc.outcomes[0]!.ok && doc.outcomes[0]!.resource.id).toBe('d1');
    const json = await importFile({ name: 'tx.json', bytes: new Uint8Array(fixture('bundle-transaction.json')) });
    expect(json.ok && [json.kind, json.accepted, json.rejected]).toEqual(['bundle', 2, 2]);
    const junk = await importFile({ name: 'x.bin', bytes: new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]) });
    expect(!junk.ok && junk.code).toBe('unsupported-file');
    const tooBig = await importFile({ name: 'x.json', bytes: new Uint8Array(5000) }, { limits: { maxFileBytes: 4096 } });
    expect(!tooBig.ok && tooBig.code).toBe('file-too-large');
  });
});
