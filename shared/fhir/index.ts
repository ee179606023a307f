// Public API of the FHIR module: pure functions, no storage, no crypto beyond the keyed dedup hash.
// Runs in the background service worker, extension pages, Node tests and scripts.
export type { Attachment, BundleEntry, CodeableConcept, Coding, FhirResource, Meta, Period, Quantity, Range, Reference } from './types.js';
export { DEFAULT_LIMITS, formatBytes, resolveLimits, type ImportLimits } from './limits.js';
export { parseFhirDate, type ParsedDate } from './dates.js';
export { conceptText, SYSTEMS } from './codes.js';
export { IMPORTABLE_TYPES, isImportableType, validateResource, type ImportableType, type RejectCode, type ValidationResult } from './validate.js';
export { bytesToBase64, cleanFilename, sniffDocumentType, wrapDocument, type DocumentFile, type DocumentMime } from './document.js';
export {
  entriesFromJson, importChunks, importEntries, importFile, parseImportText, toEntries,
  type EntryOutcome, type ImportEntry, type ImportOptions, type ImportProgress, type ImportReport, type InputFile, type ParsedInput, type Rejection,
} from './import.js';
export { canonicalJson, canonicalJsonBytes } from './canonical.js';
export { DEDUP_DOMAIN, dedupeKey, VOLATILE_FIELDS, withoutVolatile, type DedupeOptions } from './dedupe.js';
export { categorize, categoryOf, CATEGORIES, SENSITIVE_FLAGS, sensitiveFlags, type Category, type SensitiveFlag } from './categorize.js';
export { clinicalDate, summarize, type Detail, type Summary } from './summary.js';
export { indexEntry, normalize, search, type IndexEntry, type SearchOptions } from './search-index.js';
export * as synthetic from './synthetic/index.js';
