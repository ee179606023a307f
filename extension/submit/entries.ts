import { entriesFromJson, importEntries, toEntries, type ImportEntry } from '../../shared/fhir/import';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import { MAX_SUBMIT_ENTRIES, type SubmitParams, type SubmitRejection } from '../../shared/protocol/page';

/** One submitted entry that is valid FHIR for the vault, with its index in what the site sent. */
export interface ValidEntry {
  index: number;
  resource: Record<string, unknown>;
}

const invalid = (message: string, data?: SubmitRejection[]) => new ProviderRpcError(ProviderErrorCode.invalidParams, message, data);

/**
 * What the site sent, as FHIR, checked by the vault's own import rules (shared/fhir: validateResource
 * through importEntries, the same path as a file the patient imports). All or nothing: one invalid
 * entry and the whole submit is -32602, `data: [{index, reasons}]` for each invalid entry, and nothing
 * is shown to the patient or stored. A Bundle's DELETE entries and entries without a resource count as
 * invalid (a site cannot delete the patient's records).
 */
export async function validEntries(params: SubmitParams): Promise<ValidEntry[]> {
  let entries: ImportEntry[];
  if (params.bundle !== undefined) {
    if (params.bundle.resourceType !== 'Bundle') throw invalid('`bundle` must be a FHIR Bundle (resourceType "Bundle"); send single resources as `resources`');
    const parsed = entriesFromJson(params.bundle, { maxEntries: MAX_SUBMIT_ENTRIES });
    if (!parsed.ok) throw invalid(`Invalid bundle: ${parsed.reason}`);
    entries = parsed.entries;
  } else {
    entries = toEntries(params.resources ?? []);
  }
  if (entries.length === 0) throw invalid('Nothing to add: the bundle has no entries');

  const report = await importEntries(entries, { chunkSize: entries.length, yieldFn: async () => undefined });
  const rejected: SubmitRejection[] = [];
  const valid: ValidEntry[] = [];
  for (const o of report.outcomes) {
    if (o.ok) valid.push({ index: o.index, resource: o.resource as Record<string, unknown> });
    else rejected.push({ index: o.index, reasons: [o.reason] });
  }
  if (rejected.length > 0) {
    const first = rejected.slice(0, 3).map((r) => `entry ${r.index}: ${r.reasons.join(' ')}`).join('; ');
    throw invalid(`Invalid FHIR in ${rejected.length} of ${entries.length} entries; nothing was added (${first}${rejected.length > 3 ? '; …' : ''})`, rejected);
  }
  return valid;
}
