import { describeMask, parseScopes, ScopeError, SENSITIVE_SCOPES, Scope, type ScopeName } from '../../shared/chain/scopes';
import { categoryLabel, SENSITIVE_CATEGORIES } from '../../shared/protocol/categories';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { RequestPermissionsParams } from '../../shared/protocol/page';
import { PURPOSES } from '../../shared/protocol/purposes';
import type { GranteeView, PermissionAskView, PermissionChoice } from '../../shared/protocol/ui/core';
import { directoryStatus } from '../chain/reads';

/**
 * A permission request turned into what the approval window shows, and the patient's choice turned
 * back into the grant. SMART scopes finer than the category bits stay in the local permission; the
 * chain holds the category mask (the upper bound).
 */
export function parseAskScopes(scopes: string[]): { mask: number; write: boolean } {
  try {
    const parsed = parseScopes(scopes);
    return { mask: parsed.mask, write: parsed.scopes.some((s) => s.write) };
  } catch (error) {
    if (error instanceof ScopeError) throw new ProviderRpcError(ProviderErrorCode.invalidParams, error.message);
    throw error;
  }
}

export async function granteeView(address: string): Promise<GranteeView> {
  try {
    const status = await directoryStatus(address);
    return {
      address,
      directory: status.verified ? 'verified' : 'unverified',
      ...(status.licenceExpiresAt !== undefined ? { licenceExpiresAt: Number(status.licenceExpiresAt) } : {}),
    };
  } catch {
    return { address, directory: 'unknown' };
  }
}

export async function askView(params: RequestPermissionsParams): Promise<PermissionAskView> {
  const { mask, write } = parseAskScopes(params.scopes);
  const names = describeMask(mask).filter((n) => n !== 'WRITE');
  return {
    grantee: await granteeView(params.grantee),
    categories: names.map((name) => ({ name, label: categoryLabel(name), sensitive: SENSITIVE_CATEGORIES.includes(name) })),
    write,
    purpose: { code: params.purpose, words: PURPOSES[params.purpose] },
    durationDays: params.durationDays,
  };
}

/**
 * The mask the patient actually grants: only categories that were asked for AND kept; sensitive ones
 * only when ticked (the window starts with them off). Write stays if it was asked (shown in words).
 */
export function grantedMask(requested: number, choice: PermissionChoice | undefined): number {
  const kept = new Set(choice?.categories ?? describeMask(requested).filter((n) => !SENSITIVE_CATEGORIES.includes(n)));
  let mask = 0;
  for (const name of describeMask(requested)) {
    if (name === 'WRITE' || kept.has(name)) mask = (mask | Scope[name as ScopeName]) >>> 0;
  }
  if (!choice) mask = (mask & ~SENSITIVE_SCOPES) >>> 0;
  return mask;
}

/** Scopes kept: those that still name at least one granted category (or write, when granted). */
export function keptScopes(scopes: string[], granted: number): string[] {
  return scopes.filter((s) => {
    try {
      return (parseScopes([s]).mask & granted) !== 0;
    } catch {
      return false;
    }
  });
}
