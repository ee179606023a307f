// Document records of the synthetic corpus: scanned PDFs (a tiny but valid PDF) and clinical notes
// (text/plain), both inline as base64 like a real US Core DocumentReference export.
import { bytesToBase64 } from '../document.js';
import { envelope, iso, loinc, organization, performer, practitionerRef, encounterRef, when, type Ctx, type R } from './context.js';
import * as V from './vocabulary.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A minimal but valid one-page PDF (correct xref offsets) showing one line of text. */
export function tinyPdf(line: string): Uint8Array {
  const text = line.replace(/[()\\]/g, '').replace(/[^\x20-\x7e]/g, '?');
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return utf8(out);
}

export function docRef(ctx: Ctx, note: boolean): R {
  const t = when(ctx);
  const def = note ? ctx.rng.pick(V.NOTE_TYPES) : ctx.rng.pick(V.DOCUMENT_TYPES);
  const who = performer(ctx);
  const r = envelope(ctx, 'DocumentReference', note ? 'note' : 'doc', 'us-core-documentreference', t, `${def.display} by ${who}`);
  let attachment: Record<string, unknown>;
  if (note) {
    const sentences = [0, 1, 2, 3].map(() => ctx.rng.pick(V.NOTE_SENTENCES));
    const body = `${def.display} - ${who} - ${iso(t).slice(0, 10)}\n\n${[...new Set(sentences)].join('\n')}\n`;
    const bytes = utf8(body);
    attachment = { contentType: 'text/plain; charset=utf-8', data: bytesToBase64(bytes), size: bytes.length, title: `${def.display}.txt`, creation: iso(t) };
  } else {
    const bytes = tinyPdf(`${organization(ctx)} - ${def.display} - ${iso(t).slice(0, 10)}`);
    attachment = { contentType: 'application/pdf', data: bytesToBase64(bytes), size: bytes.length, title: `${def.display.toLowerCase().replace(/ /g, '-')}.pdf`, creation: iso(t) };
  }
  return {
    ...r, status: 'current', docStatus: 'final', type: loinc(def.loinc, def.display),
    category: [note
      ? { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note', display: 'Clinical Note' }] }
      : { text: 'Scanned document' }],
    subject: ctx.patient, date: iso(t + 3_600_000), author: [practitionerRef(ctx)], custodian: { display: organization(ctx) },
    description: `${def.display} by ${who}`,
    content: [{ attachment, format: { system: 'http://ihe.net/fhir/ValueSet/IHE.FormatCode.codesystem', code: note ? 'urn:ihe:iti:xds:2017:mimeTypeSufficient' : 'urn:ihe:iti:xds-sd:pdf:2008' } }],
    context: { encounter: [encounterRef(ctx)], period: { start: iso(t) } },
  };
}
