import { parseFhirDate } from '../../shared/fhir/dates';
import { SUPPORTED_RESOURCE_TYPES } from '../../shared/chain/scopes';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { SearchParams } from '../../shared/protocol/page';

/**
 * securemed_search params (already parsed by the zod schema in shared/protocol/page.ts) turned into a
 * query the matchers use. Pure: no vault, no chain. Anything the schema lets through but that still
 * makes no sense (an unknown type, an impossible date) is -32602 here, never silently ignored: a
 * dropped filter would answer with more records than the portal asked for.
 */
export const DEFAULT_COUNT = 50;

/** `system|code` (system given), `|code` (system absent: ''), or `code` (any system: undefined). */
export interface Token {
  system?: string;
  code: string;
}

export type DateOp = 'eq' | 'gt' | 'lt' | 'ge' | 'le';
/** One date condition: the value's own range [start, end] (a partial date covers a span) and the prefix. */
export interface DateBound {
  op: DateOp;
  start: number;
  end: number;
}

export interface SearchQuery {
  grantee?: string;
  types?: ReadonlySet<string>;
  categories?: Token[];
  codes?: Token[];
  date: DateBound[];
  lastUpdated: DateBound[];
  count: number;
  offset: number;
  /** `_summary=count` (or `_count=0`): the total only, no entries. */
  summaryCount: boolean;
  /** The params as given, for the self and next links. */
  params: SearchParams;
}

const invalid = (message: string) => new ProviderRpcError(ProviderErrorCode.invalidParams, `Invalid params: ${message}`);

export function parseTokens(value: string, name: string): Token[] {
  const tokens = value.split(',').map((raw) => {
    const bar = raw.indexOf('|');
    const system = bar >= 0 ? raw.slice(0, bar) : undefined;
    const code = bar >= 0 ? raw.slice(bar + 1) : raw;
    if (!code.trim() || code.includes('|')) throw invalid(`${name} "${raw.slice(0, 80)}" is not a code or system|code`);
    return system === undefined ? { code } : { system, code };
  });
  if (tokens.length > 32) throw invalid(`${name} lists more than 32 values`);
  return tokens;
}

/** Last millisecond a partial date can mean ("2020" → end of 2020), or the instant itself. */
function endOf(value: string, start: number): number {
  const [y, m, d] = value.split(/[-T]/).map(Number);
  if (value.length === 4) return Date.UTC(y!, 12, 1) - 1;
  if (value.length === 7) return Date.UTC(y!, m!, 1) - 1;
  if (value.length === 10) return Date.UTC(y!, m! - 1, d! + 1) - 1;
  // A dateTime without seconds covers its minute; with seconds, that second.
  return /T\d{2}:\d{2}(Z|[+-]|$)/.test(value) ? start + 59_999 : start + 999;
}

export function parseDateBound(raw: string, name: string): DateBound {
  const m = /^(eq|gt|lt|ge|le)?(.+)$/.exec(raw);
  const op = (m?.[1] ?? 'eq') as DateOp;
  const value = m?.[2] ?? '';
  const parsed = parseFhirDate(value);
  if (!parsed) throw invalid(`${name} "${raw.slice(0, 40)}" is not a real date`);
  return { op, start: parsed.time, end: endOf(value, parsed.time) };
}

/** Whether an instant (a record's date, ms) satisfies one bound. Undated (non-finite) never does. */
export function dateMatches(time: number, b: DateBound): boolean {
  if (!Number.isFinite(time)) return false;
  switch (b.op) {
    case 'eq':
      return time >= b.start && time <= b.end;
    case 'ge':
      return time >= b.start;
    case 'gt':
      return time > b.end;
    case 'le':
      return time <= b.end;
    case 'lt':
      return time < b.start;
  }
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function parseQuery(params: SearchParams): SearchQuery {
  let types: Set<string> | undefined;
  if (params._type !== undefined) {
    types = new Set(params._type.split(',').map((t) => t.trim()));
    for (const t of types) if (!SUPPORTED_RESOURCE_TYPES.includes(t)) throw invalid(`_type ${t.slice(0, 64)} is not a record type SecureMed stores`);
  }
  const count = params._count ?? DEFAULT_COUNT;
  return {
    ...(params.grantee ? { grantee: params.grantee } : {}),
    ...(types ? { types } : {}),
    ...(params.category !== undefined ? { categories: parseTokens(params.category, 'category') } : {}),
    ...(params.code !== undefined ? { codes: parseTokens(params.code, 'code') } : {}),
    date: asList(params.date).map((d) => parseDateBound(d, 'date')),
    lastUpdated: asList(params._lastUpdated).map((d) => parseDateBound(d, '_lastUpdated')),
    count,
    offset: params._offset ?? 0,
    summaryCount: params._summary === 'count' || count === 0,
    params,
  };
}

/** Filters only the decrypted resource can answer (the index knows no code systems or meta). */
export function needsResourceCheck(q: SearchQuery): boolean {
  return !!q.codes || !!q.categories || q.lastUpdated.length > 0;
}
