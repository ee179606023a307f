import { ProviderErrorCode, ProviderRpcError } from '../../shared/protocol/errors';
import type { SubmitParams, SubmitResult } from '../../shared/protocol/page';
import type { SubmitReviewView } from '../../shared/protocol/ui/submit';
import { fingerprintOf, requestApproval } from '../approvals/approvals';
import { granteeView } from '../consent/ask';
import { connectedOrigins } from '../consent/store';
import { siteFullUrl } from '../fhir-search/bundle';
import { unlocked } from '../keys/unlocked';
import { openVault } from '../records/open-vault';
import { validEntries } from './entries';
import { mayWrite, writePermit } from './permit';
import { markDuplicates, reviewItem } from './review';
import { storeAccepted } from './store';

/**
 * securemed_submit from params to answer (README.md in this folder):
 *   1. a site that is not connected gets 4100 whether or not the vault is locked; a connected one 4900
 *      while locked;
 *   2. the write permission, locally then on chain (permit.ts), else 4100;
 *   3. every entry valid FHIR for the vault (entries.ts), else -32602 with `data: [{index, reasons}]`;
 *      every entry of a kind the write scopes cover, else 4100 naming the entries;
 *   4. duplicates of records already in the vault marked (review.ts), the review window (approvals:
 *      one pending per site, one window at a time, re-attached after a worker restart, closed = 4001);
 *   5. the ticked records stored with their Provenance (store.ts); the answer names indices only.
 */
const refuse = (why: string) => new ProviderRpcError(ProviderErrorCode.unauthorized, why);

export async function runSubmit(origin: string, requestId: string, params: SubmitParams): Promise<SubmitResult> {
  if (!(await unlocked())) {
    if (!(await connectedOrigins()).includes(origin)) throw refuse('This site is not connected to SecureMed');
    throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked: the patient needs to unlock it');
  }
  const permit = await writePermit(origin, params.grantee);
  const valid = await validEntries(params);
  const outside = valid.filter((e) => !mayWrite(permit, e.resource as { resourceType: string }));
  if (outside.length > 0) {
    const kinds = [...new Set(outside.map((e) => String(e.resource.resourceType)))].join(', ');
    throw refuse(`This site may not add these records (${kinds}: entries ${outside.map((e) => e.index).join(', ')}); nothing was added`);
  }

  const { keys } = await openVault();
  const reviewed = await markDuplicates(keys, valid);
  const review: SubmitReviewView = { grantee: await granteeView(permit.grantee), items: reviewed.map(reviewItem) };
  const outcome = await requestApproval(origin, requestId, 'submit', { review }, { fingerprint: await fingerprintOf(params) });
  if (outcome.decision !== 'approved') {
    throw new ProviderRpcError(ProviderErrorCode.userRejected, outcome.cancelled ? `Request cancelled: ${outcome.cancelled}` : 'The patient declined the records');
  }
  if (!(await unlocked())) throw new ProviderRpcError(ProviderErrorCode.disconnected, 'SecureMed is locked');

  const fresh = reviewed.filter((r) => !r.duplicate);
  const keep = new Set(outcome.keep ?? fresh.map((r) => r.index));
  const chosen = fresh.filter((r) => keep.has(r.index));
  const { stored, duplicates: meanwhile } = chosen.length ? await storeAccepted({ origin, grantee: permit.grantee }, chosen) : { stored: [], duplicates: [] };
  return {
    accepted: stored.map((s) => s.index),
    declined: fresh.filter((r) => !keep.has(r.index)).map((r) => r.index),
    duplicates: [...reviewed.filter((r) => r.duplicate).map((r) => r.index), ...meanwhile].sort((a, b) => a - b),
    stored: stored.map((s) => ({ index: s.index, fullUrl: siteFullUrl(origin, s.id) })),
  };
}
