import { ProviderErrorCode } from '../../shared/protocol/errors';
import type { AccessNote, AuditOutcome } from './entry';

/**
 * The note of one page call, taken at the dispatch point from the request and the answer, at once and
 * cheaply: counts and references only, never the records themselves.
 */
export function noteOfCall(call: { method: string; origin: string; params: unknown; result?: unknown; errorCode?: number; at?: number }): AccessNote {
  const { grantee, scopes } = permissionOf(call.params, call.result);
  // A submit's "records" are those it wrote (the fullUrls the site will see for them), a search's those it read.
  const reads = call.method === 'securemed_submit' ? writesOf(call.result) : readsOf(call.result);
  return {
    method: call.method.slice(0, 64),
    origin: call.origin,
    at: call.at ?? Date.now(),
    ...(grantee ? { grantee } : {}),
    ...(scopes ? { scopes } : {}),
    outcome: outcomeOf(call.errorCode),
    ...(call.errorCode !== undefined ? { code: call.errorCode } : {}),
    resources: reads.length,
    reads,
  };
}

function outcomeOf(code: number | undefined): AuditOutcome {
  if (code === undefined) return 'allowed';
  if (code === ProviderErrorCode.userRejected) return 'declined';
  if (code === ProviderErrorCode.internal) return 'failed';
  return 'refused';
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The grantee the call named (or the one its answer's permission carries) and that permission's scopes. */
function permissionOf(params: unknown, result: unknown): { grantee?: string; scopes?: string[] } {
  const fromParams = pick(params, 'grantee');
  const perms = Array.isArray(result) ? result : isObject(result) && Array.isArray(result.permissions) ? result.permissions : isObject(result) && 'grantee' in result ? [result] : [];
  const perm = perms.find((p): p is { grantee: string; scopes?: unknown } => isObject(p) && typeof p.grantee === 'string' && (!fromParams || p.grantee.toLowerCase() === fromParams.toLowerCase()));
  const grantee = fromParams ?? perm?.grantee;
  const scopesParam = isObject(params) && Array.isArray(params.scopes) ? params.scopes : Array.isArray(params) && isObject(params[0]) && Array.isArray(params[0].scopes) ? params[0].scopes : undefined;
  const scopes = (Array.isArray(perm?.scopes) ? perm.scopes : scopesParam)?.filter((s): s is string => typeof s === 'string').slice(0, 32);
  return { ...(grantee && ADDRESS.test(grantee) ? { grantee } : {}), ...(scopes && scopes.length > 0 ? { scopes } : {}) };
}

function pick(params: unknown, key: string): string | undefined {
  const obj = Array.isArray(params) ? params[0] : params;
  const value = isObject(obj) ? obj[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The fullUrls of a searchset answer (what the site was given for each record). */
function readsOf(result: unknown): string[] {
  if (!isObject(result) || result.resourceType !== 'Bundle' || !Array.isArray(result.entry)) return [];
  return result.entry.flatMap((e) => (isObject(e) && typeof e.fullUrl === 'string' ? [e.fullUrl] : []));
}

/** The fullUrls of the records a securemed_submit stored (its answer's `stored`). */
function writesOf(result: unknown): string[] {
  if (!isObject(result) || !Array.isArray(result.stored)) return [];
  return result.stored.flatMap((s) => (isObject(s) && typeof s.fullUrl === 'string' ? [s.fullUrl] : []));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
