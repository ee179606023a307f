import type { AuditList, WhoSaw } from '../../shared/protocol/ui/audit';
import { siteFullUrl } from '../fhir-search/bundle';
import type { AuditEntry } from './entry';
import { chainActivity } from './chain-events';
import { auditBundleOf } from './event';
import { auditSettled } from './record';
import { loadEntries } from './store';
import { lineOf } from './words';

/** What the vault page and the popup ask of the trail. Each waits for calls still being written. */
export interface AuditFilter {
  origin?: string;
  since?: number;
  until?: number;
}

async function filtered(f: AuditFilter): Promise<{ all: AuditEntry[]; matching: AuditEntry[] }> {
  await auditSettled();
  const all = await loadEntries();
  const matching = all.filter((e) => (!f.origin || e.origin === f.origin) && (f.since === undefined || e.last >= f.since) && (f.until === undefined || e.first <= f.until));
  return { all, matching };
}

/**
 * One page of the timeline, newest first. With `chain`, the consent contract's events about the
 * patient's site accounts are merged in (chain-events.ts; the reply says which RPC was asked).
 */
export async function listActivity(f: AuditFilter & { limit: number; chain?: boolean }): Promise<AuditList> {
  const { all, matching } = await filtered(f);
  const origins = [...new Set(all.map((e) => e.origin))].sort();
  if (!f.chain) return { lines: matching.slice(0, f.limit).map(lineOf), total: matching.length, origins };
  const { lines: onChain, about } = await chainActivity();
  const chainLines = onChain.filter((l) => (!f.origin || l.origin === f.origin) && (f.since === undefined || l.last >= f.since) && (f.until === undefined || l.first <= f.until));
  const merged = [...matching.map(lineOf), ...chainLines].sort((a, b) => b.last - a.last);
  return { lines: merged.slice(0, f.limit), total: merged.length, origins: [...new Set([...origins, ...onChain.map((l) => l.origin)])].sort(), chain: about };
}

/**
 * The sites that read a record. A site is given a fullUrl derived from its origin and the record id
 * (fhir-search/bundle.ts), so each site's fullUrl for this record is computed and looked up.
 */
export async function whoSaw(recordId: string): Promise<WhoSaw> {
  const { all } = await filtered({});
  const byOrigin = new Map<string, WhoSaw['sites'][number]>();
  const urls = new Map<string, string>();
  for (const e of all) {
    // A submit lists the records the site added, not read: the record's "Added by" says that.
    if (e.outcome !== 'allowed' || e.reads.length === 0 || e.method === 'securemed_submit') continue;
    if (!urls.has(e.origin)) urls.set(e.origin, siteFullUrl(e.origin, recordId));
    if (!e.reads.includes(urls.get(e.origin)!)) continue;
    const seen = byOrigin.get(e.origin);
    byOrigin.set(e.origin, seen ? { origin: e.origin, first: Math.min(seen.first, e.first), last: Math.max(seen.last, e.last), times: seen.times + e.count } : { origin: e.origin, first: e.first, last: e.last, times: e.count });
  }
  return { sites: [...byOrigin.values()].sort((a, b) => b.last - a.last) };
}

export async function exportActivity(f: AuditFilter): Promise<{ fileName: string; text: string }> {
  const { matching } = await filtered(f);
  const day = new Date().toISOString().slice(0, 10);
  return { fileName: `securemed-activity-${day}.json`, text: JSON.stringify(auditBundleOf(matching), null, 2) };
}
