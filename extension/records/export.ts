import { provenanceOfRecord } from '../submit/provenance';
import { vaultDb } from './db';
import { openVault } from './open-vault';
import { openRecord } from './seal';

/**
 * Export as a plain FHIR Bundle, one page at a time (the page assembles the file). Walks the stored rows
 * by id, not the index, so a record whose index chunk is damaged is exported too. Damaged records are
 * counted, not exported: a FHIR Bundle has no honest way to hold "unreadable". A record a site added
 * (securemed_submit) is followed by its FHIR Provenance, so the export keeps who sent it and when.
 */
export async function exportBundlePage(offset: number, limit: number) {
  const { keys } = await openVault();
  const db = vaultDb();
  const total = await db.records.count();
  const rows = await db.records.orderBy(':id').offset(offset).limit(limit).toArray();
  const resources: unknown[] = [];
  let damaged = 0;
  for (const row of rows) {
    const opened = await openRecord(keys, row);
    if (!opened.ok) {
      damaged++;
      continue;
    }
    resources.push(opened.resource);
    const added = await provenanceOfRecord(row.id);
    if (added) resources.push(added.provenance);
  }
  return { total, read: rows.length, resources, damaged };
}
