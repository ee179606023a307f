// Turning what a patient picks in a file dialog into FHIR resources the vault can store.
// Input: FHIR JSON (one resource, a Bundle, or NDJSON as in FHIR bulk export) or a PDF / image, which
// we wrap in a DocumentReference. Output: one outcome per entry, accepted or rejected with a reason,
// so the UI can list both. Validation runs in chunks with a yield between them: a 5,000-entry Bundle
// must not freeze the vault page or starve the service worker's message handling.
import { isObject } from './codes.js';
import { wrapDocument, sniffDocumentType } from './document.js';
import { formatBytes, resolveLimits, utf8Length, type ImportLimits } from './limits.js';
import type { FhirResource } from './types.js';
import { validateResource, type RejectCode } from './validate.js';

export type Rejection = { ok: false; code: RejectCode; reason: string };

/** One candidate record from an input file; `problem` is set when the entry had no resource at all. */
export interface ImportEntry {
  index: number;
  value: unknown;
  fullUrl?: string;
  problem?: { code: RejectCode; reason: string };
}

export type ParsedInput =
  | { ok: true; kind: 'resource' | 'bundle' | 'ndjson'; bundleType?: string; entries: ImportEntry[] }
  | Rejection;

export type EntryOutcome =
  | { index: number; ok: true; resource: FhirResource }
  | { index: number; ok: false; code: RejectCode; reason: string; resourceType?: string };

const ACCEPTED_BUNDLES: Record<string, true> = { collection: true, document: true, searchset: true, transaction: true, batch: true };
const REFUSED_BUNDLES: Record<string, string> = {
  history: 'a history bundle (past versions of records); export the current records instead',
  message: 'a FHIR message, which is meant for systems, not a set of records',
  'transaction-response': "a server's reply to an upload, which contains no records",
  'batch-response': "a server's reply to an upload, which contains no records",
};

const fail = (code: RejectCode, reason: string): Rejection => ({ ok: false, code, reason });

/** Entries of an already-parsed JSON value: a resource is one entry, a Bundle gives its entry[].resource. */
export function entriesFromJson(json: unknown, limits?: Partial<ImportLimits>): ParsedInput {
  const lim = resolveLimits(limits);
  if (!isObject(json)) return fail('not-an-object', "This file isn't a FHIR record or bundle (it is not a JSON object).");
  if (json.resourceType !== 'Bundle') return { ok: true, kind: 'resource', entries: [{ index: 0, value: json }] };

  const type = json.type;
  if (typeof type !== 'string') return fail('unsupported-bundle', "This bundle doesn't say what type it is, so we can't tell how to read it.");
  if (!ACCEPTED_BUNDLES[type]) {
    const why = REFUSED_BUNDLES[type] ?? `of type "${type.slice(0, 40)}", which FHIR does not define`;
    return fail('unsupported-bundle', `This bundle is ${why}. Nothing was imported.`);
  }
  const raw = json.entry ?? [];
  if (!Array.isArray(raw)) return fail('bad-structure', "This bundle's entry list is malformed. Nothing was imported.");
  if (raw.length > lim.maxEntries) {
    return fail('too-many-entries', `This bundle has ${raw.length} entries; we import at most ${lim.maxEntries} at a time. Split the export and try again.`);
  }
  const entries = raw.map((e: unknown, index): ImportEntry => {
    if (!isObject(e)) return { index, value: e, problem: { code: 'no-resource', reason: 'This bundle entry is malformed and holds no record.' } };
    const fullUrl = typeof e.fullUrl === 'string' ? e.fullUrl : undefined;
    // transaction / batch: the request part is server instructions; we only want the record.
    if (e.resource === undefined) {
      const method = isObject(e.request) ? e.request.method : undefined;
      const reason = method === 'DELETE'
        ? 'This entry is an instruction to delete a record on a server, not a record, so it was skipped.'
        : 'This bundle entry has no record in it.';
      return { index, value: undefined, fullUrl, problem: { code: 'no-resource', reason } };
    }
    return { index, value: e.resource, fullUrl };
  });
  return { ok: true, kind: 'bundle', bundleType: type, entries };
}

/** Parses FHIR JSON or NDJSON text into entries (nothing validated yet; see importEntries). */
export function parseImportText(text: string, limits?: Partial<ImportLimits>): ParsedInput {
  const lim = resolveLimits(limits);
  // Cheap bound first: UTF-16 length <= UTF-8 length, so only count bytes when it could matter.
  if (text.length > lim.maxFileBytes || (text.length * 3 > lim.maxFileBytes && utf8Length(text) > lim.maxFileBytes)) {
    return fail('file-too-large', `This file is ${formatBytes(utf8Length(text))}; we import files up to ${formatBytes(lim.maxFileBytes)}. Split the export and try again.`);
  }
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body.startsWith('{')) {
    return fail('not-json', "This file isn't FHIR JSON, a PDF or an image, so we can't import it.");
  }
  try {
    return entriesFromJson(JSON.parse(body), lim);
  } catch {
    // FHIR bulk export (NDJSON): one resource per line.
    const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'))) {
      if (lines.length > lim.maxEntries) {
        return fail('too-many-entries', `This file has ${lines.length} records; we import at most ${lim.maxEntries} at a time.`);
      }
      const entries = lines.map((line, index): ImportEntry => {
        try {
          return { index, value: JSON.parse(line) };
        } catch {
          return { index, value: undefined, problem: { code: 'not-json', reason: `Line ${index + 1} of this file isn't valid JSON.` } };
        }
      });
      return { ok: true, kind: 'ndjson', entries };
    }
    return fail('not-json', "This file looks like JSON but can't be read (it may be cut off or damaged). Nothing was imported.");
  }
}

export interface ImportProgress {
  done: number;
  total: number;
  accepted: number;
  rejected: number;
}

export interface ImportOptions {
  /** Entries validated between two yields to the event loop (default 100). */
  chunkSize?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  limits?: Partial<ImportLimits>;
  /** Id for an accepted resource that has none (default: the fullUrl's urn:uuid, else a random UUID). */
  newId?: () => string;
  /** How to yield between chunks (default a macrotask via setTimeout(0); works in workers and Node). */
  yieldFn?: () => Promise<void>;
}

const defaultYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const UUID_URN = /^urn:uuid:([0-9a-fA-F-]{36})$/;

/** Wraps bare values (e.g. resources built in code) as entries numbered from 0. */
export function toEntries(values: readonly unknown[]): ImportEntry[] {
  return values.map((value, index) => ({ index, value }));
}

function outcomeOf(e: ImportEntry, opts: ImportOptions): EntryOutcome {
  if (e.problem) return { index: e.index, ok: false, ...e.problem };
  const v = validateResource(e.value, opts.limits);
  if (!v.ok) {
    const rt = isObject(e.value) && typeof e.value.resourceType === 'string' ? e.value.resourceType.slice(0, 64) : undefined;
    return { index: e.index, ok: false, code: v.code, reason: v.reason, ...(rt ? { resourceType: rt } : {}) };
  }
  let resource = v.resource;
  if (resource.id === undefined) {
    const urn = e.fullUrl ? UUID_URN.exec(e.fullUrl) : null;
    resource = { ...resource, id: urn ? urn[1]!.toLowerCase() : (opts.newId ?? (() => crypto.randomUUID()))() };
  }
  return { index: e.index, ok: true, resource };
}

/** Validates entries chunk by chunk, yielding each chunk's outcomes (entries from parseImportText etc.). */
export async function* importChunks(entries: readonly ImportEntry[], opts: ImportOptions = {}): AsyncGenerator<EntryOutcome[]> {
  const size = Math.max(1, Math.floor(opts.chunkSize ?? 100));
  const pause = opts.yieldFn ?? defaultYield;
  for (let start = 0; start < entries.length; start += size) {
    opts.signal?.throwIfAborted();
    const chunk: EntryOutcome[] = [];
    for (let i = start; i < Math.min(start + size, entries.length); i++) chunk.push(outcomeOf(entries[i]!, opts));
    yield chunk;
    if (start + size < entries.length) await pause();
  }
}

export interface ImportReport {
  outcomes: EntryOutcome[];
  accepted: number;
  rejected: number;
}

/** Validates all entries, reporting progress after every chunk (and once at the start, 0 of N). */
export async function importEntries(entries: readonly ImportEntry[], opts: ImportOptions = {}): Promise<ImportReport> {
  const outcomes: EntryOutcome[] = [];
  let accepted = 0;
  opts.onProgress?.({ done: 0, total: entries.length, accepted: 0, rejected: 0 });
  for await (const chunk of importChunks(entries, opts)) {
    for (const o of chunk) {
      outcomes.push(o);
      if (o.ok) accepted++;
    }
    opts.onProgress?.({ done: outcomes.length, total: entries.length, accepted, rejected: outcomes.length - accepted });
  }
  return { outcomes, accepted, rejected: outcomes.length - accepted };
}

export interface InputFile {
  name: string;
  /** What the browser claims; only a hint, the bytes decide. */
  type?: string;
  bytes: Uint8Array;
  /** File.lastModified as ISO date, used as the document date for PDFs / images. */
  lastModified?: string;
}

/** One call for a picked file: PDF / image → one DocumentReference; FHIR JSON → its entries. */
export async function importFile(file: InputFile, opts: ImportOptions = {}): Promise<({ ok: true; kind: string } & ImportReport) | Rejection> {
  const lim = resolveLimits(opts.limits);
  if (file.bytes.length > lim.maxFileBytes) {
    return fail('file-too-large', `"${file.name.slice(0, 100)}" is ${formatBytes(file.bytes.length)}; we import files up to ${formatBytes(lim.maxFileBytes)}.`);
  }
  if (sniffDocumentType(file.bytes)) {
    const wrapped = wrapDocument({ bytes: file.bytes, filename: file.name, mimeType: file.type, date: file.lastModified, id: opts.newId?.() }, lim);
    if (!wrapped.ok) return wrapped;
    return { ok: true, kind: 'document', outcomes: [{ index: 0, ok: true, resource: wrapped.resource }], accepted: 1, rejected: 0 };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    return fail('unsupported-file', `"${file.name.slice(0, 100)}" isn't FHIR JSON, a PDF or an image, so we can't import it.`);
  }
  const parsed = parseImportText(text, lim);
  if (!parsed.ok) return parsed;
  const report = await importEntries(parsed.entries, opts);
  return { ok: true, kind: parsed.kind, ...report };
}
