import Dexie, { type Table } from 'dexie';

/**
 * The record vault's IndexedDB database. Everything clinical is ciphertext: a row holds the sealed
 * record, its wrapped DEK, the content hash of the ciphertext and a keyed (HMAC) de-dup tag. Resource
 * types, codes, dates and names exist only inside the ciphertexts and the encrypted index chunks.
 */
export const DB_NAME = 'securemed-vault';

export interface RecordRow {
  /** Random UUID chosen by the vault (not the FHIR id, which can be meaningful). */
  id: string;
  /** nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16) of the canonical JSON resource. */
  envelope: Uint8Array;
  /** The DEK sealed under identity.vault.dekWrap, bound to `id`. */
  wrappedDek: Uint8Array;
  /** '0x' + SHA-256(envelope): what gets anchored on chain. */
  contentHash: string;
  /** HMAC-SHA256 under identity.vault.dedup of the resource's canonical content (hex). */
  dedupKey: string;
  /** Record version bound into the AAD. */
  version: number;
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

  constructor(name = DB_NAME) {
    super(name);
    // Schema history. A new version adds a line here with .upgrade(tx => …) to migrate rows; Dexie runs
    // every upgrade between the stored version and the newest, in order, in one versionchange transaction.
    this.version(1).stores({
      records: 'id, &dedupKey',
      indexChunks: '++seq',
      meta: 'key',
      journal: 'key',
    });
  }
}

let db: VaultDb | undefined;

/** The one connection of this worker (or test). */
export function vaultDb(): VaultDb {
  db ??= new VaultDb();
  return db;
}

/** Tests and erase: close and forget the connection. */
export function closeVaultDb(): void {
  db?.close();
  db = undefined;
}
