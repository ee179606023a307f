import { BINDING_PATH, checkBinding, type BindingCheck } from '../../shared/chain/binding';
import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';

/**
 * Fetch the binding file from the requesting origin itself and check it binds `grantee` to that
 * origin (shared/chain/binding.ts). The origin comes from the browser, so a site can only point at
 * a grantee whose key listed it. No cookies, no redirects (a redirect could hand us another site's
 * file), a size cap and a timeout. Every refusal is 4100 with the reason.
 */
const MAX_BYTES = 16 * 1024;
const TIMEOUT_MS = 5_000;

export async function verifyGranteeBinding(origin: string, grantee: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  const refuse = (reason: string) => new ProviderRpcError(ProviderErrorCode.unauthorized, `Grantee not bound to this site: ${reason}`);
  let text: string;
  try {
    const response = await fetchImpl(`${origin}${BINDING_PATH}`, {
      credentials: 'omit',
      redirect: 'error',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw refuse(`${BINDING_PATH} answered HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    if (error instanceof ProviderRpcError) throw error;
    throw refuse(`${BINDING_PATH} could not be fetched (it must be served with CORS)`);
  }
  if (text.length > MAX_BYTES) throw refuse(`${BINDING_PATH} is larger than ${MAX_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw refuse(`${BINDING_PATH} is not JSON`);
  }
  const check = checkBindings(json, origin, grantee, Math.floor(Date.now() / 1000));
  if (!check.ok) throw refuse(check.reason);
}

/** A hosted portal serving several providers lists one signed binding per grantee: `{ "bindings": [...] }`. */
const MAX_BINDINGS = 16;

/**
 * One binding file (shared/chain/binding.ts), or `{ bindings: [file, …] }` for several grantees on one
 * origin: each binding is signed by its own grantee key, and `grantee` must be bound by one of them.
 * A binding for another grantee proves nothing about this one.
 */
export function checkBindings(json: unknown, origin: string, grantee: string, nowSeconds: number): BindingCheck {
  const list = (json as { bindings?: unknown } | null)?.bindings;
  if (list === undefined) return checkBinding(json, origin, grantee, nowSeconds);
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BINDINGS || Object.keys(json as object).length !== 1) {
    return { ok: false, reason: `${BINDING_PATH} must be one binding or { "bindings": [1 to ${MAX_BINDINGS} bindings] }` };
  }
  const mine = list.filter((b) => typeof (b as { grantee?: unknown })?.grantee === 'string' && (b as { grantee: string }).grantee.toLowerCase() === grantee.toLowerCase());
  if (mine.length === 0) return { ok: false, reason: `no binding in ${BINDING_PATH} names grantee ${grantee}` };
  let last: BindingCheck = { ok: false, reason: 'no binding matched' };
  for (const b of mine) {
    last = checkBinding(b, origin, grantee, nowSeconds);
    if (last.ok) return last;
  }
  return last;
}

/** Page origins SecureMed talks to: https, or http on loopback (development). */
export function isAllowedPageOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}
