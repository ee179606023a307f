// Why a call would revert (or did), in words a patient can read, from the contracts' custom errors.
// Also tells a revert (final: the call itself is refused) from a chain that does not answer (retry).
import { ErrorFragment, Interface, type Result } from 'ethers';
import { INTERFACES } from './actions';

/** Every custom error of the three contracts, once (shared base contracts repeat some). */
const ERRORS = new Interface(
  [...new Map(Object.values(INTERFACES).flatMap((i) => i.fragments.filter(ErrorFragment.isFragment).map((f) => [f.selector, f] as const))).values()],
);

const WORDS: Record<string, (a: Result) => string> = {
  SignatureExpired: (a) => `The signature expired: its deadline (${a[0]}) has passed on chain. Sign the action again.`,
  InvalidSigner: (a) => `The signature was not made by ${a[1]} for this contract and chain.`,
  NonceAlreadyUsed: (a) => `This signed action was already used or cancelled (nonce ${a[1]}).`,
  StaleEpoch: (a) =>
    `The patient changed this relationship after signing (signed at epoch ${a[2]}, now ${a[3]}): the signature is stale. Sign again if the action is still wanted.`,
  StaleKey: () => 'The encryption key changed after this was signed: sign again against the key published now.',
  AlreadyAnchored: () => 'This batch of records is already anchored.',
  NoGrant: () => 'There is no grant to revoke.',
  InvalidGrantee: () => 'The grantee is not valid (the zero address, or the patient themself).',
  InvalidScopes: (a) => `The scopes (${a[0]}) are empty or name an unknown category.`,
  ExpiryNotInFuture: () => 'The expiry is not in the future.',
  GrantTooLong: (a) => `The grant lasts longer than allowed: the latest possible expiry is ${a[1]}.`,
  InvalidRoot: () => 'The batch root is empty.',
  InvalidCount: () => 'The batch is empty.',
  InvalidEncryptionKey: () => 'The encryption key is empty.',
  EmptyMask: () => 'No nonces were named to cancel.',
};

export interface Revert {
  /** The custom error's name, or "unknown". */
  error: string;
  reason: string;
}

/** Revert data (0x + selector + args) → words. */
export function explainRevert(data: string | undefined): Revert {
  if (!data || data === '0x') return { error: 'unknown', reason: 'The contract refused the call without saying why.' };
  try {
    const parsed = ERRORS.parseError(data);
    if (parsed) return { error: parsed.name, reason: WORDS[parsed.name]?.(parsed.args) ?? `The contract refused the call (${parsed.name}).` };
  } catch {
    /* not one of ours */
  }
  return { error: 'unknown', reason: `The contract refused the call (revert data ${data.slice(0, 10)}…).` };
}

/** Finds revert data anywhere in an ethers / JSON-RPC error. */
export function revertData(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as Record<string, unknown>;
  if (typeof e.data === 'string' && /^0x([0-9a-fA-F]{8})/.test(e.data)) return e.data;
  for (const key of ['error', 'info', 'cause', 'data']) {
    const found = revertData(e[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A revert: the node answered and said the call fails. Anything else is about reaching the node. */
export function isRevert(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'CALL_EXCEPTION' || revertData(err) !== undefined;
}

/** One line about a transport failure, for logs and for the status's reason. */
export function transportMessage(err: unknown): string {
  const e = err as { code?: unknown; shortMessage?: unknown; message?: unknown };
  const text = String(e?.shortMessage ?? e?.message ?? err);
  return `${typeof e?.code === 'string' ? `${e.code}: ` : ''}${text}`.slice(0, 200);
}
