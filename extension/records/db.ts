import Dexie, { type Table } from 'dexie';
import { VAULT_DATA } from '../vault-data/registry';
import { applyStores, DATABASES } from '../vault-data/schema';

/**
 * The record vault's IndexedDB database. Everything clinical is ciphertext: a row holds the sealed
 * record, where its wrapped DEK is (its own wrap, or an index into a key batch), the content hash of the ciphertext and a keyed (HMAC) de-dup tag. Resource
 * types, codes, dates and names exist only inside the ciphertexts and the encrypted index chunks.
 */
export const DB_NAME = DATABASES.vault.name;

export interface RecordRow {
  /** Random UUID chosen by the vault (not the FHIR id, which can be meaningful). */
  id: string;
  /** nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16) of the canonical JSON resource. */
  envelope: Uint8Array;
  /**
   * The row's DEK is in exactly one of two places. `wrappedDek`: its own wrap under identity.vault.dekWrap,
   * bound to `id` (schema v1 rows, and rows restored from a backup). `dekRef`: slot `index` of key batch
   * `batch` (schema v2 imports: one wrap per import chunk, see keyBatches).
   */
  wrappedDek?: Uint8Array;
  dekRef?: { batch: string; index: number };
  /** '0x' + SHA-256(envelope): what gets anchored on chain. */
  contentHash: string;
  /** HMAC-SHA256 under identity.vault.dedup of the resource's canonical content (hex). */
  dedupKey: string;
  /** Record version bound into the AAD. */
  version: number;
}

/**
 * The DEKs of one import chunk wrapped together under identity.vault.dekWrap (shared/crypto wrapDekBatch):
 * the AAD binds `id` and `records` in order, so slot i belongs to records[i] and nothing else.
 */
export interface KeyBatchRow {
  /** Random UUID. */
  id: string;
  records: Array<{ id: string; version: number }>;
  /** nonce(12) ‖ AES-256-GCM(DEK_0 ‖ DEK_1 ‖ …) ‖ tag(16). */
  wrapped: Uint8Array;
}

/** One encrypted slice of the search index (see index-store.ts). Appended per import chunk, compacted. */
export interface IndexChunkRow {
  seq?: number;
  /** nonce ‖ AES-256-GCM(JSON of IndexEntry[]) under identity.vault.searchIndex. */
  blob: Uint8Array;
}

/** Small non-clinical facts (format version, when the last backup was made, a pending restore's index). */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Import progress journal: the encrypted outcomes of each committed import chunk, so a re-sent chunk
 * (after a worker restart) gets the same answer instead of being imported twice. Cleared on finish. */
export interface JournalRow {
  key: string;
  blob: Uint8Array;
}

export class VaultDb extends Dexie {
  records!: Table<RecordRow, string>;
  indexChunks!: Table<IndexChunkRow, number>;
  meta!: Table<MetaRow, string>;
  journal!: Table<JournalRow, string>;
  keyBatches!: Table<KeyBatchRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    // The schema history comes from the vault data registry (extension/vault-data/registry.ts): v1
    // records, indexChunks, journal (+ meta); v2 keyBatches. v2 rewrote no row: v1 rows keep their own
    // `wrappedDek` and are read as they are (re-wrapping needs WebCrypto, and awaiting it inside the
    // versionchange transaction would let IndexedDB commit it half-way).
    applyStores(this, 'vault', VAULT_DATA);
  }
}

let db: VaultDb | undefined;

/** The one connection of this worker (or test). */
export function vaultDb(): VaultDb {
  db ??= new VaultDb();
  return db;
}
