import { finishRecordsRestore, openRecordsManifest, restoreRecordRows, saveRecordRow, saveRecordsManifest } from '../records/backup';
import type { AnyVaultDataKind } from './kind';
import { sealedKind } from './sealed-kind';

/**
 * Every kind of encrypted vault data, declared once (README.md): its table and schema versions, how it
 * is sealed, and whether the encrypted backup carries it. The Dexie schemas (schema.ts applyStores) and
 * the backup (backup.ts) are built from this list, so a new kind is one entry here — for most, one
 * `sealedKind({...})` (sealed-kind.ts). Never rename a kind or reuse a schema version.
 *
 * The handlers below are called through arrow functions on purpose: the modules they live in import
 * their tables from databases built from this list, and nothing imported is read while this file loads.
 */
export const VAULT_DATA: readonly AnyVaultDataKind[] = [
  {
    name: 'records',
    database: 'vault',
    table: 'records',
    stores: { 1: 'id, &dedupKey' },
    sealing:
      'record envelope v1 (shared/crypto record-envelope.ts): canonical JSON under a fresh DEK, AES-256-GCM, AAD recordAad(id, patient, version), content hash SHA-256; the DEK is in a key batch (dekRef) or has its own wrap (wrappedDek, key-wrap.ts wrapDek) under vault.dekWrap',
    backup: {
      include: true,
      save: (ctx, row) => saveRecordRow(ctx, row),
      restore: (ctx, data) => restoreRecordRows(ctx, data),
      manifest: { save: (ctx) => saveRecordsManifest(ctx), open: (ctx, blob) => openRecordsManifest(ctx, blob) },
      finish: (ctx) => finishRecordsRestore(ctx),
    },
  },
  {
    name: 'keyBatches',
    database: 'vault',
    table: 'keyBatches',
    stores: { 2: 'id' },
    sealing: 'key batch v1 (shared/crypto key-wrap.ts wrapDekBatch): one import chunk’s DEKs in one AES-256-GCM under vault.dekWrap, AAD binding the batch id and its ordered (record id, version) list',
    backup: {
      include: false,
      why: 'a backed-up record carries its own DEK wrap (bound to its id), so the file never depends on a batch; a restored record keeps that wrap',
    },
  },
  {
    name: 'indexChunks',
    database: 'vault',
    table: 'indexChunks',
    stores: { 1: '++seq' },
    sealing: "sealed JSON of StoredEntry[] under vault.searchIndex, AAD sealedAad.vaultJson('vault', patient) (records/index-store.ts)",
    backup: {
      include: false,
      why: "not as rows: the records kind's manifest carries the whole index sealed once, and a restore seals the entries of the records it accepts into new chunks",
    },
  },
  {
    name: 'importJournal',
    database: 'vault',
    table: 'journal',
    stores: { 1: 'key' },
    sealing: "sealed JSON of the chunk's ItemOutcome[] under vault.searchIndex, AAD sealedAad.vaultJson('import journal', patient) (records/import.ts)",
    backup: { include: false, why: "transient: an import's progress, deleted when the import finishes" },
  },
  {
    name: 'messageThreads',
    database: 'messaging',
    table: 'threads',
    stores: { 1: 'id' },
    sealing: "sealed JSON under the messaging at-rest key, AAD sealedAad.messaging('thread', id); rows from before it (`thread:${id}`) are read, never written (messaging/keys.ts)",
    backup: {
      include: false,
      why: 'not yet, as before: a restore would have to merge threads with what catch-up fetched from the messaging node, and the backup would need the messaging keys',
    },
  },
  {
    name: 'messages',
    database: 'messaging',
    table: 'messages',
    stores: { 1: 'id, [thread+sentAt], pending' },
    sealing: "sealed JSON under the messaging at-rest key, AAD sealedAad.messaging('message', id); legacy `message:${id}` rows are read, never written",
    backup: { include: false, why: 'with the threads (see messageThreads)' },
  },
  {
    name: 'messagingState',
    database: 'messaging',
    table: 'state',
    stores: { 1: 'key' },
    sealing: "sealed bytes (the XMTP key bundle) under the messaging at-rest key, AAD sealedAad.messaging('xmtp-bundle', address)",
    backup: { include: false, why: "a fresh profile creates a new key bundle from the seed's messaging account" },
  },
  {
    name: 'messagingIdentities',
    database: 'messaging',
    table: 'identities',
    stores: { 2: 'id' },
    sealing: "sealed JSON (relationship index → address, counterparty, its conversations, invitation mark) under the messaging at-rest key, AAD sealedAad.messaging('identity', id) (messaging/identities.ts)",
    backup: {
      include: false,
      why: 'a restore from the phrase finds the used relationship identities on the messaging node (messaging/README.md, "Restore")',
    },
  },
  // The transaction queue (extension/tx-queue/): the patient's signed actions until they are confirmed.
  sealedKind({
    name: 'txQueue',
    table: 'txQueue',
    since: 3,
    maxBytes: 16 * 1024,
    notBackedUp:
      'the chain is the record of what landed, and a pending action is only worth sending now: its signature expires minutes after signing (block time), and restoring an old file must never bring back a wish the patient has since changed. A restored vault reads its state from the chain (e.g. the published key) and the patient acts again',
  }),
  // The consent manager (extension/consent/): each connected site with the permissions it holds.
  sealedKind({ name: 'consentSites', table: 'consentSites', since: 4, maxBytes: 256 * 1024 }),
  // Tamper evidence (extension/anchoring/): each anchor batch with its record versions and padding, from
  // which every record's proof is rebuilt; in the backup and the replicas.
  sealedKind({ name: 'anchorBatches', table: 'anchorBatches', since: 5, maxBytes: 8 * 1024 * 1024 }),
  // The audit trail (extension/audit/): one entry per page-API call (identical calls coalesced, capped).
  sealedKind({ name: 'auditEvents', table: 'auditEvents', since: 6, maxBytes: 256 * 1024 }),
  // Records a site added (extension/submit/): each one's FHIR Provenance, row id = the record's id.
  sealedKind({ name: 'recordProvenance', table: 'recordProvenance', since: 7, maxBytes: 16 * 1024 }),
];

