// Client side of the relayer API (scripts/relayer/README.md): build the request body for a signed
// action, submit it, read its status. Every answer is parsed by one zod schema; a relayer that cannot
// be reached is an answer too ({ok: false, error.code: 'unreachable', retryable}). No Node APIs: the
// extension's transaction queue uses this as is (pass its fetch).
import { z } from 'zod';

export const RELAY_FUNCTIONS = [
  'grantBySig', 'revokeBySig', 'setEmergencyDelegateBySig', 'cancelNoncesBySig', 'anchorBySig', 'setEncryptionKeyBySig',
] as const;
export type RelayFunction = (typeof RELAY_FUNCTIONS)[number];

export interface RelayRequest {
  chainId: number;
  /** The verifying contract of the signature (the contract that will be called). */
  contract: string;
  function: RelayFunction;
  /** The signed typed-data message: bigints become decimal strings, uint32 fields stay numbers. */
  message: Record<string, string | number | boolean>;
  /** The 65-byte signature from signTypedData (or its 64-byte EIP-2098 form). */
  signature: string;
}

/** The POST body for a signed action: `message` is exactly what was signed. */
export function relayRequest(
  fn: RelayFunction,
  chainId: number | bigint,
  contract: string,
  message: object,
  signature: string,
): RelayRequest {
  const json: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(message)) json[k] = typeof v === 'bigint' ? v.toString() : (v as string | number | boolean);
  return { chainId: Number(chainId), contract, function: fn, message: json, signature };
}

export const RelayStatus = z.object({
  id: z.string().regex(/^ra_[0-9a-f]{24}$/),
  function: z.enum(RELAY_FUNCTIONS),
  contract: z.string(),
  signer: z.string(),
  status: z.enum(['pending', 'confirmed', 'failed']),
  /** pending: `queued` (not sent yet, or waiting to retry) or `sent` (txHash known). */
  stage: z.enum(['queued', 'sent', 'done']),
  txHash: z.string().optional(),
  blockNumber: z.number().optional(),
  gasUsed: z.string().optional(),
  paidWei: z.string().optional(),
  /** In words: why it failed, or what a pending request waits for. */
  reason: z.string().optional(),
  /** The contract's custom error when it refused the call (e.g. StaleEpoch, NonceAlreadyUsed). */
  error: z.string().optional(),
  retryable: z.boolean().optional(),
  attempts: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type RelayStatus = z.infer<typeof RelayStatus>;

export const RelayError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** 429: which limit (account, ip, requests, budget). */
    limit: z.string().optional(),
    retryAfterSeconds: z.number().optional(),
    /** 422: the contract's custom error. */
    revert: z.string().optional(),
    retryable: z.boolean().optional(),
  }),
});
export type RelayError = z.infer<typeof RelayError>['error'];

export type RelayResult =
  | { ok: true; httpStatus: number; request: RelayStatus }
  | { ok: false; httpStatus: number; error: RelayError; retryable: boolean };

/**
 * Whether trying again later may succeed: the relayer or chain was unreachable (0, 503), a limit was
 * hit (429), or the relayer failed (5xx). 400/403/404/413/422 will fail the same way again.
 */
export function retryableStatus(httpStatus: number): boolean {
  return httpStatus === 0 || httpStatus === 429 || httpStatus >= 500;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function call(fetchImpl: Fetch, url: string, init: RequestInit): Promise<RelayResult> {
  let res: Response;
  let body: unknown;
  try {
    res = await fetchImpl(url, init);
    body = await res.json();
  } catch (e) {
    return { ok: false, httpStatus: 0, retryable: true, error: { code: 'unreachable', message: `The relayer could not be reached (${(e as Error).message}).` } };
  }
  if (res.ok) {
    const parsed = RelayStatus.safeParse(body);
    if (parsed.success) return { ok: true, httpStatus: res.status, request: parsed.data };
  } else {
    const parsed = RelayError.safeParse(body);
    if (parsed.success) return { ok: false, httpStatus: res.status, retryable: retryableStatus(res.status), error: parsed.data.error };
  }
  return { ok: false, httpStatus: res.status, retryable: retryableStatus(res.status), error: { code: 'bad_answer', message: `The relayer answered ${res.status} in an unknown shape.` } };
}

/** POST /v1/actions. 202: accepted (pending); 200: this signature was already accepted (its request). */
export function submitToRelayer(relayerUrl: string, request: RelayRequest, fetchImpl: Fetch = fetch): Promise<RelayResult> {
  return call(fetchImpl, `${relayerUrl.replace(/\/$/, '')}/v1/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
}

/** GET /v1/actions/:id. 404 (unknown_request): the relayer forgot it (restarted without a data file). */
export function relayerStatus(relayerUrl: string, id: string, fetchImpl: Fetch = fetch): Promise<RelayResult> {
  return call(fetchImpl, `${relayerUrl.replace(/\/$/, '')}/v1/actions/${encodeURIComponent(id)}`, { method: 'GET' });
}
