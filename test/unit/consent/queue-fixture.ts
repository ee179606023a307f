import { vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings/schema';

// What the consent-through-the-queue unit tests (sync, retry) share: the stubbed relayer, its status
// answers, an approved permission as request-permissions saves it, and "make every action due now".
// Each test file keeps its own vi.mock blocks (they are hoisted per file).

export const BLOCK_TIME = 1_800_000_000n;
export const TX = `0x${'ab'.repeat(32)}`;

export type RelayedBody = { function: string; message: Record<string, string | number>; signature: string };
type Answer = { status: number; json: unknown };

/** The relayer as a stubbed fetch: POSTs answered by `post`, status polls by `poll`; returns the POSTed bodies. */
export function stubRelayer(post: (body: RelayedBody) => Answer, poll: () => Answer = () => ({ status: 404, json: {} })): RelayedBody[] {
  const posts: RelayedBody[] = [];
  vi.stubGlobal('fetch', async (_url: string, init?: RequestInit) => {
    const answer = init?.method === 'POST' ? (posts.push(JSON.parse(String(init.body))), post(posts.at(-1)!)) : poll();
    return new Response(JSON.stringify(answer.json), { status: answer.status, headers: { 'content-type': 'application/json' } });
  });
  return posts;
}

/** The relayer's status of relayed action number `n` for `fn`, signed by `signer`. */
export const relayStatus = (fn: string, status: string, signer: string, n = 1) => ({
  id: `ra_${n.toString(16).padStart(24, '0')}`, function: fn, contract: DEFAULT_SETTINGS.contracts.ConsentRegistry,
  signer, status, stage: status === 'confirmed' ? 'done' : 'queued', attempts: 1, createdAt: 1, updatedAt: 1,
  ...(status === 'confirmed' ? { txHash: TX } : {}),
});

/** A permission for lab results, for treatment, one day past BLOCK_TIME, approved and not yet on chain. */
export function approvedPermission(grantee: string, patient: string) {
  const now = Date.now();
  return {
    grantee, patient, scopes: ['patient/Observation.rs'], mask: 1, purpose: 'TREAT' as const,
    purposeSalt: `0x${'00'.repeat(32)}`, expiresAt: Number(BLOCK_TIME) + 86_400, status: 'pending' as const, chain: 'granting' as const,
    grantedAt: now, updatedAt: now,
  };
}

/** Make every unfinished action due now (the backoff's clock is not what these tests are about). */
export async function dueNow(): Promise<void> {
  const { queuedActions } = await import('../../../extension/tx-queue/queue');
  const { saveAction } = await import('../../../extension/tx-queue/store');
  for (const a of await queuedActions()) if (a.state === 'pending' || a.state === 'submitted') await saveAction({ ...a, nextAttemptAt: Date.now() - 1 });
}
