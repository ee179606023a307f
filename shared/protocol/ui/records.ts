import { z } from 'zod';
import { CATEGORIES } from '../../fhir/categorize';
import { DEFAULT_LIMITS } from '../../fhir/limits';

/**
 * The record vault (extension/records/, procedures/records.ts). The vault page reads files itself and
 * sends their entries in bounded chunks; every answer is a decrypted *view*, never a key.
 */
export const RecordLimits = {
  /** Largest file the vault page accepts (JSON or attachment): shared/fhir's limit. */
  fileBytes: DEFAULT_LIMITS.maxFileBytes,
  /** Largest PDF/image wrapped as a DocumentReference. */
  attachmentBytes: DEFAULT_LIMITS.maxDocumentBytes,
  /** Entries per import message; the page also keeps a message under ~4 MB of JSON unless one document
   * is bigger (runtime messages cap at 64 MiB). */
  chunkItems: 500,
  chunkChars: 4 * 1024 * 1024,
  /** Largest stored record ciphertext (a DocumentReference with an inline document). */
  envelopeBytes: DEFAULT_LIMITS.maxDocumentResourceBytes + 1024,
  /** Records per export/backup page and per restore message. */
  pageRecords: 1000,
  queryChars: 200,
} as const;

/** shared/fhir's display categories (labs, vitals, medications, … documents, notes, and a few more). */
export const RECORD_CATEGORIES = CATEGORIES;
export const RecordCategory = z.enum(CATEGORIES);
export type RecordCategory = z.infer<typeof RecordCategory>;

const Source = z.string().max(300);
const Uuid = z.string().uuid();
const Base64 = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const ImportItem = z.discriminatedUnion('kind', [
  /** One FHIR resource (a whole file, or one Bundle entry's resource) and where it came from. */
  z.strictObject({
    kind: z.literal('resource'),
    source: Source,
    resource: z.record(z.string(), z.unknown()),
    /** The Bundle entry's fullUrl: a urn:uuid there becomes the resource id when it has none. */
    fullUrl: z.string().max(4096).optional(),
  }),
  /** A PDF or image, wrapped as a DocumentReference by the background. */
  z.strictObject({
    kind: z.literal('file'),
    source: Source,
    name: z.string().max(255),
    contentType: z.string().max(100),
    data: Base64(Math.ceil((RecordLimits.attachmentBytes * 4) / 3) + 4),
  }),
]);
export type ImportItem = z.infer<typeof ImportItem>;

/** A record as backup format v1 wrote it, and as format v2 carries it (the `data` of a 'records' row). */
export const BackupRecordRow = z.strictObject({
  id: Uuid,
  envelope: Base64(Math.ceil((RecordLimits.envelopeBytes * 4) / 3) + 4),
  wrappedDek: Base64(128),
  contentHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  dedupKey: z.string().regex(/^[0-9a-f]{64}$/),
  version: z.number().int().min(0).max(1_000_000),
});
export type BackupRecordRow = z.infer<typeof BackupRecordRow>;

/** A vault data kind's name (extension/vault-data/registry.ts). */
const KindName = z.string().regex(/^[a-z][A-Za-z0-9-]{0,63}$/);

/**
 * Backup format v2: a row of any vault data kind the registry backs up. The background parses `data`
 * with that kind's own schema (extension/vault-data); here only its size and shape (JSON scalars, bytes
 * as base64) are bounded.
 */
export const BackupKindRow = z.strictObject({
  kind: KindName,
  data: z.record(
    z.string().max(64),
    z.union([z.string().max(Math.ceil((RecordLimits.envelopeBytes * 4) / 3) + 4), z.number(), z.boolean(), z.null()]),
  ),
});
export type BackupKindRow = z.infer<typeof BackupKindRow>;

/** A restore chunk may carry rows of a v2 file or of a v1 file (records only, read as 'records' rows). */
export const BackupRow = z.union([BackupKindRow, BackupRecordRow]);
export type BackupRow = z.infer<typeof BackupRow>;

const HeaderCommon = {
  format: z.literal('securemed-backup'),
  createdAt: z.string().max(40),
  /** Rows in the file (v1: records). */
  count: z.number().int().min(0).max(10_000_000),
};
/** Files made before the owner tag name the vault by its main messaging address (read, never written). */
const Patient = z.string().regex(/^0x[0-9a-f]{40}$/);
/** Which vault made the file, without naming it: a keyed tag only that vault can compute (backup.ts). */
const Owner = z.string().regex(/^[0-9a-f]{64}$/);

export const BackupHeader = z.discriminatedUnion('v', [
  z.strictObject({
    ...HeaderCommon,
    patient: Patient,
    v: z.literal(1),
    /** The whole index, sealed under the vault's index key (base64): authoritative list of id + hash. */
    index: Base64(48 * 1024 * 1024),
  }),
  z.strictObject({
    ...HeaderCommon,
    /** Current files carry `owner`; v2 files from before it carry `patient`. */
    owner: Owner.optional(),
    patient: Patient.optional(),
    v: z.literal(2),
    /** Rows per kind. */
    kinds: z.record(KindName, z.number().int().min(0).max(10_000_000)),
    /** Per kind, one sealed blob describing it (records: the v1 `index`), base64. */
    manifests: z.record(KindName, Base64(48 * 1024 * 1024)),
  }),
]);
export type BackupHeader = z.infer<typeof BackupHeader>;

const Page = { offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(RecordLimits.pageRecords) };

export const recordsRequests = [
  z.strictObject({ type: z.literal('records.summary') }),
  z.strictObject({
    type: z.literal('records.list'),
    category: RecordCategory.optional(),
    query: z.string().max(RecordLimits.queryChars).optional(),
    ...Page,
  }),
  z.strictObject({ type: z.literal('records.get'), id: Uuid }),
  z.strictObject({
    type: z.literal('records.import.chunk'),
    importId: Uuid,
    seq: z.number().int().min(0).max(1_000_000),
    items: z.array(ImportItem).min(1).max(RecordLimits.chunkItems),
  }),
  z.strictObject({ type: z.literal('records.import.finish'), importId: Uuid }),
  z.strictObject({ type: z.literal('records.export.bundle'), ...Page }),
  z.strictObject({ type: z.literal('records.export.backup'), ...Page }),
  z.strictObject({ type: z.literal('records.restore.begin'), header: BackupHeader }),
  z.strictObject({ type: z.literal('records.restore.chunk'), rows: z.array(BackupRow).min(1).max(RecordLimits.pageRecords) }),
  z.strictObject({ type: z.literal('records.restore.finish') }),
] as const;

// ---- what the background answers (views built in extension/records/, never a key) ----

/** One record as lists show it: the index entry without its search text and hash. */
export interface ListEntry {
  id: string;
  category: string;
  title: string;
  date?: string;
  detail?: string;
  sensitive?: string[];
}

export interface RecordsSummary {
  total: number;
  byCategory: Record<string, number>;
  /** The three most recent. */
  recent: ListEntry[];
  /** Index chunks that could not be opened (their records are missing from lists until a restore). */
  damagedIndexChunks: number;
  backup: { lastAt?: number; due: boolean };
}

export interface ListPage {
  /** How many records match, all pages together. */
  total: number;
  entries: ListEntry[];
}

/** The detail view's fields, in the order a patient reads them. */
export interface ReadableView {
  title: string;
  fields: Array<{ label: string; value: string }>;
}

/** One record, decrypted on request; a damaged one says so (with what the index knows) instead of failing. */
export type RecordView =
  | { entry: ListEntry; damaged: true }
  /** `resource` is the decrypted FHIR JSON, for the raw view and the sandboxed viewer: pages treat it as data. */
  | { entry: ListEntry; damaged?: undefined; view: ReadableView; resource: unknown };

/** What happened to one imported item. */
export interface ItemOutcome {
  source: string;
  status: 'imported' | 'duplicate' | 'rejected';
  /** For rejected items: why, in plain language. */
  reason?: string;
  id?: string;
  title?: string;
  category?: string;
}

/** One page of the plain FHIR export; damaged records are counted, not exported. */
export interface BundlePage {
  total: number;
  /** Stored rows read for this page (exported or damaged). */
  read: number;
  resources: unknown[];
  damaged: number;
}

/** One page of the encrypted backup; the header comes with the first page only. */
export interface BackupPage {
  header?: BackupHeader;
  rows: BackupRow[];
  total: number;
}

export interface RestoreChunkResult {
  restored: number;
  skipped: number;
  rejected: number;
}

/** What each request above answers. While the vault is locked every one is refused with code `locked`. */
export interface RecordsReplies {
  'records.summary': RecordsSummary;
  'records.list': ListPage;
  'records.get': RecordView;
  'records.import.chunk': { outcomes: ItemOutcome[] };
  'records.import.finish': { total: number };
  'records.export.bundle': BundlePage;
  'records.export.backup': BackupPage;
  'records.restore.begin': { count: number };
  'records.restore.chunk': RestoreChunkResult;
  'records.restore.finish': { total: number };
}
