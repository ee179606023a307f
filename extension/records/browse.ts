import type { ListEntry, RecordCategory } from '../../shared/protocol/ui/records';
import { UiError } from '../../shared/protocol/ui-errors';
import { vaultDb } from './db';
import type { StoredEntry } from './entry';
import { readable } from './fhir-adapter';
import { openVault } from './open-vault';
import { openRecord } from './seal';
import { backupStatus } from './backup-status';

// The view types are declared with the requests they answer (shared/protocol/ui/records.ts).
export type { ListEntry } from '../../shared/protocol/ui/records';

const toListEntry = ({ id, category, title, date, detail, sensitive }: StoredEntry): ListEntry => ({ id, category, title, date, detail, sensitive });

export async function summary() {
  const { index } = await openVault();
  const recent = index.all().slice(0, 3).map(toListEntry);
  return {
    total: index.size,
    byCategory: index.counts(),
    recent,
    damagedIndexChunks: index.damagedChunks,
    backup: await backupStatus(index.size),
  };
}

export async function list(req: { category?: RecordCategory; query?: string; offset: number; limit: number }) {
  const { index } = await openVault();
  const matching = index.filter(req.category, req.query);
  return { total: matching.length, entries: matching.slice(req.offset, req.offset + req.limit).map(toListEntry) };
}

/**
 * One record, decrypted on request. A damaged record answers `damaged: true` (with what the index
 * knows, so the patient sees which one) instead of failing the request.
 */
export async function getRecord(id: string) {
  const { keys, index } = await openVault();
  const entry = index.get(id);
  const row = await vaultDb().records.get(id);
  if (!entry && !row) throw new UiError('not_found', 'This record is no longer in your vault.');
  const opened = row ? await openRecord(keys, row, entry?.h) : ({ ok: false, problem: 'damaged' } as const);
  const shown = entry ? toListEntry(entry) : { id, category: 'documents', title: 'Record' };
  if (!opened.ok) return { entry: shown, damaged: true as const };
  return { entry: shown, view: readable(opened.resource), resource: opened.resource };
}
