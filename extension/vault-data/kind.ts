import type { Dexie, Transaction } from 'dexie';
import type { RecordKeys } from '../records/vault-keys';

/**
 * What one kind of encrypted vault data declares, once, in registry.ts: where its rows live (database,
 * table, Dexie index spec per schema version), how they are sealed (for people and for the architecture
 * document), and whether the encrypted backup carries them — with the code that writes and checks them —
 * or why not. The Dexie schemas and the backup are built from these entries, so a new kind is one entry.
 */
export type DatabaseName = 'vault' | 'messaging';

/** A backup file row's fields: JSON scalars only (bytes as standard base64 strings). */
export type BackupData = Record<string, string | number | boolean | null>;

/** What a backup handler works with: the unlocked vault's keys and its database. */
export interface BackupContext {
  keys: RecordKeys;
  db: Dexie;
}

export interface RestoreContext extends BackupContext {
  /** The kind's manifest from the file (its `manifest.save` output), if it declared one. */
  manifest?: Uint8Array;
}

/** One restore chunk's outcome for one kind: the rows to add, and work that must commit with them. */
export interface RestorePlan<Row> {
  rows: Row[];
  skipped: number;
  rejected: number;
  /** Extra writes inside the same transaction as `rows` (no crypto in there: it would auto-commit). */
  alsoWrite?: { tables: string[]; write: () => Promise<unknown> };
  /** After the transaction committed (e.g. update what the worker holds in memory). */
  afterCommit?: () => void;
}

export interface BackedUp<Row> {
  include: true;
  /** Stored row → the file row's `data`. Runs with the vault unlocked, one page at a time. */
  save(ctx: BackupContext, row: Row): Promise<BackupData>;
  /** File rows of this kind → what to store. Every row must be checked to open under this vault's keys. */
  restore(ctx: RestoreContext, data: readonly BackupData[]): Promise<RestorePlan<Row>>;
  /**
   * Optional: one sealed blob in the header describing the kind as a whole (records: the index, which is
   * also the authenticated list of id + content hash). `open` checks it at restore begin → its row count.
   */
  manifest?: {
    save(ctx: BackupContext): Promise<Uint8Array>;
    open(ctx: BackupContext, blob: Uint8Array): Promise<number>;
  };
  /** Optional: after the last chunk (records: merge the index chunks the restore appended). */
  finish?(ctx: BackupContext): Promise<void>;
}

export interface NotBackedUp {
  include: false;
  /** Why not, for the next person: rebuilt locally, transient, or not decided yet. */
  why: string;
}

export interface VaultDataKind<Row = never> {
  /** Stable name: the backup file's row `kind` (and later the replica's). Never rename one. */
  name: string;
  database: DatabaseName;
  table: string;
  /** Dexie index spec by the schema version that introduced or changed it; the first field is the key. */
  stores: Readonly<Record<number, string>>;
  /**
   * Optional row migrations, by the schema version that runs them (Dexie `version(n).upgrade`). They run
   * inside the versionchange transaction: database work only, no WebCrypto (an await on anything else
   * would let IndexedDB commit half-way).
   */
  upgrades?: Readonly<Record<number, (tx: Transaction) => Promise<void>>>;
  /** How a row is sealed and with which key: shared/crypto functions and AAD labels. */
  sealing: string;
  /** Only 'vault' database kinds can be backed up (the backup runs with the record vault's keys). */
  backup: BackedUp<Row> | NotBackedUp;
}

/** A registry entry of any row type (the list holds many; handlers are typed where they are written). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyVaultDataKind = VaultDataKind<any>;
