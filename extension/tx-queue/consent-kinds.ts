import { z } from 'zod';
import { consentDomain, deadlineFromBlock, grantTypedData, revokeTypedData } from '../../shared/chain/eip712';
import { saltedHash } from '../../shared/chain/purpose';
import { relayRequest } from '../../shared/chain/relayer';
import { deriveSiteGranteeAccount, type Account } from '../../shared/crypto/identity';
import { UiError } from '../../shared/protocol/ui-errors';
import { latestBlockTime, type Inclusion } from '../chain/reads';
import { chainContext, readChain, readContract } from '../chain/rpc';
import { unlocked } from '../keys/unlocked';
import type { ActionKindSpec } from './kinds';
import { DEADLINE_SECONDS, signTypedData } from './signing';
import type { QueuedAction } from './store';

/**
 * Consent on chain through the queue: `grant` (grantBySig) and `revoke` (revokeBySig), each signed by
 * the site's pairwise account for (origin, grantee) — never the identity account, so the chain cannot
 * link a patient's sites. The intent names the origin and grantee (to derive the account from the
 * seed) and the account itself (checked, so a row can never be signed by another account).
 *
 * Every signature names the pair's epoch read now, uncached: a grant or revoke that landed in between
 * makes an older signature stale (StaleEpoch), and the queue signs again (process.ts).
 */
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Pair = { origin: z.string().max(512), grantee: Address, patient: Address };

export const GrantIntent = z.strictObject({
  ...Pair,
  /** On-chain category bitmask (the upper bound of the SMART scopes kept locally). */
  mask: z.number().int().positive(),
  /** Unix seconds. */
  expiresAt: z.number().int().positive(),
  /** The salted purpose hash (the code and salt stay in the vault). */
  purposeHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
});
export type GrantIntent = z.infer<typeof GrantIntent>;

export const RevokeIntent = z.strictObject(Pair);
export type RevokeIntent = z.infer<typeof RevokeIntent>;

export function grantIntent(p: { origin: string; grantee: string; patient: string; mask: number; expiresAt: number; purpose: string; purposeSalt: string }): GrantIntent {
  return GrantIntent.parse({ origin: p.origin, grantee: p.grantee, patient: p.patient, mask: p.mask, expiresAt: p.expiresAt, purposeHash: saltedHash(p.purpose, p.purposeSalt) });
}

/** The pairwise account of the intent, from the unlocked seed; refuses a row whose account is not this vault's. */
async function pairAccount(intent: { origin: string; grantee: string; patient: string }): Promise<Account> {
  const state = await unlocked();
  if (!state) throw new UiError('locked', 'Unlock your vault to sign.');
  const account = deriveSiteGranteeAccount(state.seed, intent.origin, intent.grantee);
  if (account.address.toLowerCase() !== intent.patient.toLowerCase()) throw new Error('this vault does not hold the account of this action');
  return account;
}

/**
 * The pair as the chain holds it now, uncached: a cached epoch from before the last change makes the
 * signature stale, and a cached "not there yet" would hide that an action landed.
 */
async function pairNow(patient: string, grantee: string): Promise<{ scopes: number; expiresAt: bigint; epoch: number }> {
  const g = await readContract<{ scopes: bigint; expiresAt: bigint; epoch: bigint }>('ConsentRegistry', 'grantOf', [patient, grantee], 0);
  return { scopes: Number(g.scopes), expiresAt: BigInt(g.expiresAt), epoch: Number(g.epoch) };
}

/** What every pair signature starts from: the pairwise account, the pair's epoch now, a deadline from block time. */
async function pairSigning(intent: { origin: string; grantee: string; patient: string }): Promise<{ account: Account; epoch: number; deadline: bigint }> {
  const account = await pairAccount(intent);
  const [{ epoch }, blockTime] = await Promise.all([pairNow(account.address, intent.grantee), latestBlockTime()]);
  return { account, epoch, deadline: deadlineFromBlock(blockTime, DEADLINE_SECONDS) };
}

/** The latest event `name` of the pair in recent blocks (how "it already landed" finds its transaction). */
async function latestPairEvent(name: 'Granted' | 'Revoked', patient: string, grantee: string): Promise<Inclusion | undefined> {
  const consent = (await chainContext()).contract('ConsentRegistry');
  return readChain(`consentlog:${name}:${patient}:${grantee}`, 0, async (provider) => {
    const latest = await provider.getBlockNumber();
    const events = await consent.queryFilter(consent.filters[name]!(patient, grantee), Math.max(0, latest - 50_000), latest);
    const last = events.at(-1);
    return last ? { txHash: last.transactionHash, blockNumber: last.blockNumber, success: true } : undefined;
  });
}

export const grantKind: ActionKindSpec = {
  title: 'Share records with a site',
  fn: 'grantBySig',
  contract: 'ConsentRegistry',
  async sign(action: QueuedAction) {
    const intent = GrantIntent.parse(action.intent);
    const { account, epoch, deadline } = await pairSigning(intent);
    const message = {
      patient: account.address,
      grantee: intent.grantee,
      scopes: intent.mask,
      expiresAt: BigInt(intent.expiresAt),
      purpose: intent.purposeHash,
      epoch,
      nonce: BigInt(action.nonce),
      deadline,
    };
    const signature = await signTypedData(account, grantTypedData(consentDomain(action.chainId, action.contract), message));
    return { request: relayRequest('grantBySig', action.chainId, action.contract, message, signature), deadline };
  },
  async landed(action) {
    const intent = GrantIntent.parse(action.intent);
    const g = await pairNow(intent.patient, intent.grantee);
    if (g.scopes !== intent.mask || g.expiresAt !== BigInt(intent.expiresAt)) return undefined;
    return latestPairEvent('Granted', intent.patient, intent.grantee);
  },
};

export const revokeKind: ActionKindSpec = {
  title: 'Stop sharing with a site',
  fn: 'revokeBySig',
  contract: 'ConsentRegistry',
  async sign(action: QueuedAction) {
    const intent = RevokeIntent.parse(action.intent);
    const { account, epoch, deadline } = await pairSigning(intent);
    const message = { patient: account.address, grantee: intent.grantee, epoch, nonce: BigInt(action.nonce), deadline };
    const signature = await signTypedData(account, revokeTypedData(consentDomain(action.chainId, action.contract), message));
    return { request: relayRequest('revokeBySig', action.chainId, action.contract, message, signature), deadline };
  },
  /** Nothing granted on the pair any more (scopes and expiry cleared): the latest Revoked is this one's effect. */
  async landed(action) {
    const intent = RevokeIntent.parse(action.intent);
    const g = await pairNow(intent.patient, intent.grantee);
    if (g.scopes !== 0 || g.expiresAt !== 0n) return undefined;
    return latestPairEvent('Revoked', intent.patient, intent.grantee);
  },
};
