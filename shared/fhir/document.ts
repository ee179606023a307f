// A PDF or image the patient uploads becomes a FHIR DocumentReference with the file inline (base64),
// so it is stored, encrypted, shared and revoked like any other record. The file type is decided by
// the bytes (magic numbers), never by the name or the browser's claim: the viewer (a sandboxed page)
// relies on contentType. SVG and HTML are refused on purpose: they can carry script.
import { sha1 } from '@noble/hashes/legacy.js';
import { parseFhirDate } from './dates.js';
import { formatBytes, resolveLimits, type ImportLimits } from './limits.js';
import type { FhirResource, Reference } from './types.js';
import { validateResource, type ValidationResult } from './validate.js';

export type DocumentMime = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** The document type the bytes really are, or undefined when we don't accept that kind of file. */
export function sniffDocumentType(bytes: Uint8Array): DocumentMime | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // "%PDF-"
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif'; // "GIF8"
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

/**
 * Standard base64 (RFC 4648, padded) without Buffer (absent in service workers). Works in 24 KiB
 * slices: String.fromCharCode over a whole 20 MiB file would overflow the argument limit.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const SLICE = 3 * 8192; // multiple of 3, so only the last slice gets padding
  for (let i = 0; i < bytes.length; i += SLICE) {
    parts.push(btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + SLICE) as unknown as number[])));
  }
  return parts.join('');
}

/** Keeps a readable file name: no folders, no control characters, bounded length. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'document';
}

export interface DocumentFile {
  bytes: Uint8Array;
  filename: string;
  /** The browser's claim. Ignored: the bytes decide (kept so callers can pass a File's fields as-is). */
  mimeType?: string;
  /** When the file was made (File.lastModified as ISO); the record's date on the timeline. */
  date?: string;
  id?: string;
  subject?: Reference;
  /**
   * FHIR Attachment.hash (SHA-1 of the data, base64). Off by default: it only ever lives inside the
   * encrypted record, but a plain hash of plaintext must never be used for look-ups (see dedupe.ts).
   */
  includeHash?: boolean;
}

const KIND: Record<DocumentMime, string> = {
  'application/pdf': 'PDF document',
  'image/png': 'Image',
  'image/jpeg': 'Image',
  'image/gif': 'Image',
  'image/webp': 'Image',
};

/**
 * Wraps a PDF / image as a DocumentReference. No `date` (an R4 instant meaning "when this reference was
 * made"): the upload time is vault metadata, and leaving it out lets a re-upload of the same file be
 * recognized as a duplicate. The file's own date goes to attachment.creation.
 */
export function wrapDocument(file: DocumentFile, limits?: Partial<ImportLimits>): ValidationResult {
  const lim = resolveLimits(limits);
  const title = cleanFilename(file.filename);
  const mime = sniffDocumentType(file.bytes);
  if (!mime) {
    return { ok: false, code: 'unsupported-file', reason: `"${title}" isn't a PDF or an image (PNG, JPEG, GIF, WebP), so it can't be added as a document.` };
  }
  if (file.bytes.length > lim.maxDocumentBytes) {
    return {
      ok: false,
      code: 'file-too-large',
      reason: `"${title}" is ${formatBytes(file.bytes.length)}; documents can be at most ${formatBytes(lim.maxDocumentBytes)}. Try a smaller scan or split the PDF.`,
    };
  }
  if (file.date !== undefined && !parseFhirDate(file.date)) {
    return { ok: false, code: 'bad-date', reason: `"${title}" has a date we can't read ("${file.date.slice(0, 40)}").` };
  }
  const attachment: Record<string, unknown> = {
    contentType: mime,
    data: bytesToBase64(file.bytes),
    title,
    size: file.bytes.length,
  };
  if (file.date) attachment.creation = file.date;
  if (file.includeHash) attachment.hash = bytesToBase64(sha1(file.bytes));
  const resource: FhirResource = {
    resourceType: 'DocumentReference',
    ...(file.id ? { id: file.id } : {}),
    status: 'current',
    type: { text: KIND[mime] },
    description: title,
    ...(file.subject ? { subject: file.subject } : {}),
    content: [{ attachment }],
  };
  // Same rules as any imported record (e.g. a bad date string, an oversized resource).
  return validateResource(resource, lim);
}
