import { bytesToBase64, sniffDocumentType } from '../../../shared/fhir/document';
import { parseImportText } from '../../../shared/fhir/import';
import { formatBytes } from '../../../shared/fhir/limits';
import { RecordLimits, type ImportItem, type ItemOutcome } from '../../../shared/protocol/ui/records';
import { ask, UiError } from '../../ui/messenger';

/**
 * Reading picked/dropped files in the page and sending their entries to the background in chunks.
 * The page only splits (files → entries); the background validates, de-duplicates and stores. Chunks go
 * one at a time, in order; each answer is the progress. If the worker restarts mid-import, the chunk in
 * flight fails and is sent again (the background journals committed chunks, so a repeat is harmless).
 */
export interface Progress {
  total: number;
  done: number;
  imported: number;
  duplicates: number;
  rejected: ItemOutcome[];
  /** The first accepted items, to show what came in. */
  accepted: ItemOutcome[];
}

const SHOW_ACCEPTED = 50;

async function itemsOf(file: File, rejected: ItemOutcome[]): Promise<ImportItem[]> {
  if (file.size > RecordLimits.fileBytes) {
    rejected.push({ source: file.name, status: 'rejected', reason: `This file is ${formatBytes(file.size)}; SecureMed imports files up to ${formatBytes(RecordLimits.fileBytes)}. Split the export into smaller files and try again.` });
    return [];
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (sniffDocumentType(bytes)) {
    return [{ kind: 'file', source: file.name, name: file.name, contentType: file.type.slice(0, 100), data: bytesToBase64(bytes) }];
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    rejected.push({ source: file.name, status: 'rejected', reason: "This file isn't FHIR JSON, a PDF or an image, so it can't be imported." });
    return [];
  }
  const parsed = parseImportText(text);
  if (!parsed.ok) {
    rejected.push({ source: file.name, status: 'rejected', reason: parsed.reason });
    return [];
  }
  const single = parsed.entries.length === 1 && parsed.kind === 'resource';
  const items: ImportItem[] = [];
  for (const e of parsed.entries) {
    const source = single ? file.name : `${file.name}, entry ${e.index + 1}`;
    if (e.problem) rejected.push({ source, status: 'rejected', reason: e.problem.reason });
    else if (typeof e.value !== 'object' || e.value === null || Array.isArray(e.value)) {
      rejected.push({ source, status: 'rejected', reason: "This entry isn't a FHIR record (it is not a JSON object)." });
    } else items.push({ kind: 'resource', source, resource: e.value as Record<string, unknown>, ...(e.fullUrl ? { fullUrl: e.fullUrl.slice(0, 4096) } : {}) });
  }
  return items;
}

/** Split into messages of ≤ chunkItems entries and ≈ ≤ chunkChars of JSON (one big document may exceed it alone). */
function* chunksOf(items: ImportItem[]): Generator<ImportItem[]> {
  let chunk: ImportItem[] = [];
  let chars = 0;
  for (const item of items) {
    const size = item.kind === 'file' ? item.data.length : JSON.stringify(item.resource).length;
    if (chunk.length && (chunk.length >= RecordLimits.chunkItems || chars + size > RecordLimits.chunkChars)) {
      yield chunk;
      chunk = [];
      chars = 0;
    }
    chunk.push(item);
    chars += size;
  }
  if (chunk.length) yield chunk;
}

async function sendChunk(importId: string, seq: number, items: ImportItem[]): Promise<ItemOutcome[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await ask({ type: 'records.import.chunk', importId, seq, items })).outcomes;
    } catch (error) {
      const restarting = error instanceof UiError && error.code === 'restarting';
      if (!restarting || attempt >= 4) throw error;
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
  }
}

export async function importFiles(files: File[], onProgress: (p: Progress) => void): Promise<Progress> {
  const p: Progress = { total: 0, done: 0, imported: 0, duplicates: 0, rejected: [], accepted: [] };
  const items: ImportItem[] = [];
  for (const file of files) items.push(...(await itemsOf(file, p.rejected)));
  p.total = items.length + p.rejected.length;
  p.done = p.rejected.length;
  onProgress({ ...p });
  const importId = crypto.randomUUID();
  let seq = 0;
  for (const chunk of chunksOf(items)) {
    for (const o of await sendChunk(importId, seq++, chunk)) {
      p.done++;
      if (o.status === 'rejected') p.rejected.push(o);
      else if (o.status === 'duplicate') p.duplicates++;
      else {
        p.imported++;
        if (p.accepted.length < SHOW_ACCEPTED) p.accepted.push(o);
      }
    }
    onProgress({ ...p, rejected: [...p.rejected], accepted: [...p.accepted] });
  }
  if (seq > 0) await ask({ type: 'records.import.finish', importId });
  return p;
}
