import { consentDomain, deadlineFromBlock, grantTypedData, revokeTypedData } from '../../shared/chain/eip712';
import { saltedHash } from '../../shared/chain/purpose';
import { relayRequest, relayerStatus, submitToRelayer, type RelayResult } from '../../shared/chain/relayer';
import type { Account } from '../../shared/crypto/identity';
import { latestBlockTime } from '../chain/reads';
import { readContract } from '../chain/rpc';
import { readSettings } from '../settings/store';
import { DEADLINE_SECONDS, randomNonce, signTypedData } from '../tx-queue/signing';

/**
 * How consent reaches the chain: grantBySig / revokeBySig signed by the site's pairwise account and
 * handed to the relayer (the patient pays nothing). This is the small port the consent manager needs;
 * the shared transaction queue (extension/tx-queue/) has no grant/revoke kinds yet, so this submits
 * directly and consent/tracker.ts does the retrying. When the queue gains those kinds, only this file
 * changes.
 */
export interface ConsentChainPort {
  grant(account: Account, p: { grantee: string; mask: number; expiresAt: number; purpose: string; purposeSalt: string }): Promise<RelayResult>;
  revoke(account: Account, grantee: string): Promise<RelayResult>;
  status(relayId: string): Promise<RelayResult>;
}

export const relayerConsentChain: ConsentChainPort = {
  async grant(account, p) {
    const settings = await readSettings();
    const contract = settings.contracts.ConsentRegistry;
    const [epoch, blockTime] = await Promise.all([pairEpoch(account.address, p.grantee), latestBlockTime()]);
    const message = {
      patient: account.address,
      grantee: p.grantee,
      scopes: p.mask,
      expiresAt: BigInt(p.expiresAt),
      purpose: saltedHash(p.purpose, p.purposeSalt),
      epoch,
      nonce: randomNonce(),
      deadline: deadlineFromBlock(blockTime, DEADLINE_SECONDS),
    };
    const signature = await signTypedData(account, grantTypedData(consentDomain(settings.chainId, contract), message));
    return submitToRelayer(settings.relayerUrl, relayRequest('grantBySig', settings.chainId, contract, message, signature));
  },
  async revoke(account, grantee) {
    const settings = await readSettings();
    const contract = settings.contracts.ConsentRegistry;
    const [epoch, blockTime] = await Promise.all([pairEpoch(account.address, grantee), latestBlockTime()]);
    const message = { patient: account.address, grantee, epoch, nonce: randomNonce(), deadline: deadlineFromBlock(blockTime, DEADLINE_SECONDS) };
    const signature = await signTypedData(account, revokeTypedData(consentDomain(settings.chainId, contract), message));
    return submitToRelayer(settings.relayerUrl, relayRequest('revokeBySig', settings.chainId, contract, message, signature));
  },
  async status(relayId) {
    return relayerStatus((await readSettings()).relayerUrl, relayId);
  },
};

/** The pair's epoch now, never from the read cache: a cached epoch from before the last change makes the signature stale. */
async function pairEpoch(patient: string, grantee: string): Promise<number> {
  const g = await readContract<{ epoch: bigint }>('ConsentRegistry', 'grantOf', [patient, grantee], 0);
  return Number(g.epoch);
}
