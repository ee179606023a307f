import { ProviderErrorCode } from '../../shared/protocol/errors';
import type { AuditLine } from '../../shared/protocol/ui/audit';
import type { AuditEntry } from './entry';

/**
 * An audit entry in the patient's words: who (the site's host), what, how it ended. No JSON, no codes
 * beyond what helps ("refused: not permitted").
 */
const OUTCOME_WORDS: Record<AuditEntry['outcome'], string> = {
  allowed: 'allowed',
  refused: 'refused',
  declined: 'you declined',
  failed: 'failed (an error in SecureMed)',
};

const REFUSAL_WHY: Record<number, string> = {
  [ProviderErrorCode.unauthorized]: 'not permitted',
  [ProviderErrorCode.disconnected]: 'your vault was locked',
  [ProviderErrorCode.unsupportedMethod]: 'unknown request',
  [ProviderErrorCode.invalidParams]: 'malformed request',
  [ProviderErrorCode.userRejected]: 'you declined',
};

export function hostOf(origin: string): string {
  try {
    return new URL(origin).host; // with the port when it is not the default: two local sites differ only by it
  } catch {
    return origin;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function action(entry: AuditEntry): string {
  switch (entry.method) {
    case 'securemed_search':
      return entry.outcome === 'allowed' ? `read ${plural(entry.resources, 'record')}` : 'tried to read records';
    case 'securemed_connect':
      return entry.outcome === 'allowed' ? 'connected' : 'tried to connect';
    case 'securemed_requestPermissions':
      return entry.scopes.length > 0 ? `asked for permission (${plural(entry.scopes.length, 'scope')})` : 'asked for permission';
    case 'securemed_revokePermissions':
      return 'gave up its permission';
    case 'securemed_getPermissions':
      return 'checked its permissions';
    case 'securemed_status':
      return 'checked whether SecureMed is available';
    case 'securemed_submit':
      return entry.outcome === 'allowed' ? `added ${plural(entry.resources, 'record')} to your vault` : 'tried to send records';
    default:
      return `made an unknown request (${entry.method.slice(0, 40)})`;
  }
}

export function lineOf(entry: AuditEntry): AuditLine {
  const why = entry.outcome === 'refused' && entry.code !== undefined ? REFUSAL_WHY[entry.code] : undefined;
  const outcome = OUTCOME_WORDS[entry.outcome] + (why ? `: ${why}` : '');
  const times = entry.count > 1 ? ` (${entry.count} times)` : '';
  return {
    id: entry.id,
    origin: entry.origin,
    method: entry.method,
    outcome: entry.outcome,
    ...(entry.code !== undefined ? { code: entry.code } : {}),
    text: `${hostOf(entry.origin)} ${action(entry)}${times} — ${outcome}`,
    ...(entry.grantee ? { grantee: entry.grantee } : {}),
    scopes: entry.scopes,
    resources: entry.resources,
    count: entry.count,
    first: entry.first,
    last: entry.last,
  };
}
