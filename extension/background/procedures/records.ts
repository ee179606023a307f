import { backupPage, beginRestore, finishRestore, restoreChunk } from '../../vault-data/backup';
import { getRecord, list, summary } from '../../records/browse';
import { exportBundlePage } from '../../records/export';
import { finishImport, importChunk } from '../../records/import';
import type { Procedures } from './index';

type RecordsRequest =
  | 'records.summary'
  | 'records.list'
  | 'records.get'
  | 'records.import.chunk'
  | 'records.import.finish'
  | 'records.export.bundle'
  | 'records.export.backup'
  | 'records.restore.begin'
  | 'records.restore.chunk'
  | 'records.restore.finish';

/**
 * The record vault's procedures (extension/records/). Each answers a decrypted view, never a key; every
 * one throws 'Unlock your vault first.' while the vault is locked.
 */
export const recordsProcedures: Procedures<RecordsRequest> = {
  'records.summary': () => summary(),
  'records.list': (req) => list(req),
  'records.get': ({ id }) => getRecord(id),
  'records.import.chunk': ({ importId, seq, items }) => importChunk(importId, seq, items),
  'records.import.finish': ({ importId }) => finishImport(importId),
  'records.export.bundle': ({ offset, limit }) => exportBundlePage(offset, limit),
  'records.export.backup': ({ offset, limit }) => backupPage(offset, limit),
  'records.restore.begin': ({ header }) => beginRestore(header),
  'records.restore.chunk': ({ rows }) => restoreChunk(rows),
  'records.restore.finish': () => finishRestore(),
};
