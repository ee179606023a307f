import { verifyTypedData } from 'ethers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { directoryDomain, ENCRYPTION_KEY_TYPES } from '../../../shared/chain/eip712';
import { toHex } from '../../../shared/crypto/bytes';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';
import { DEFAULT_SETTINGS } from '../../../shared/settings/schema';

// The queue in node: the real vault database (fake-indexeddb), real sealing, real signing; the chain
// reads are stubbed (block time, no key yet) and the relayer is a stubbed fetch. The integration test
// (test/integration/tx-queue.test.ts) runs the same module against a real chain and relayer.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current, UNLOCKED_SEED_KEY: 'unlockedSeed' }));
const BLOCK_TIME = 1_800_000_000n;
vi.mock('../../../extension/chain/reads', () => ({
  latestBlockTime: async () => BLOCK_TIME,
  encryptionKeyOf: async () => undefined,
  findKeyPublication: async () => undefined,
  receiptOf: async () => undefined,
  forgetChainReads: () => undefined,
}));

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const identity = deriveIdentity(seed);
const KEY = `0x${toHex(identity.encryption.pk)}`;
const intent = { account: identity.messaging.address, key: KEY };

/** The relayer: every POST answered by `answer(body)`. */
function stubRelayer(answer: (body: { message: { nonce: string } }) => { status: number; json: unknown }) {
  const calls: unknown[] = [];
  vi.stubGlobal('fetch', async (_url: string, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body));
    calls.push(body);
    const { status, json } = answer(body);
    return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}
const pendingStatus = (n: number) => ({
  id: `ra_${n.toString(16).padStart(24, '0')}`, function: 'setEncryptionKeyBySig', contract: DEFAULT_SETTINGS.contracts.ProviderDirectory,
  signer: identity.messaging.address, status: 'pending', stage: 'queued', attempts: 0, createdAt: 1, updatedAt: 1,
});

beforeEach(() => {
  state.current = { seed, identity };
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('transaction queue', () => {
  it('signs with the identity account against block time, keeps the action pending with the reason while the relayer is down, and schedules the retry by alarm', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const { enqueue, runQueue, queuedActions, TX_QUEUE_ALARM } = await import('../../../extension/tx-queue/queue');
    const queued = await enqueue('publishKey', intent);
    await runQueue();
    const [action] = (await queuedActions()).filter((a) => a.id === queued.id);
    expect(action).toMatchObject({ state: 'pending', attempts: 1, failures: 1, reason: expect.stringMatching(/relayer at http:\/\/127\.0\.0\.1:8546 could not be reached/) });
    // Deadline from block time, not Date.now(); the signature is the identity account's over exactly this message.
    expect(action!.deadline).toBe((BLOCK_TIME + 600n).toString());
    const message = action!.request!.message;
    expect(message).toMatchObject({ account: identity.messaging.address, key: KEY, previousKey: `0x${'0'.repeat(64)}`, nonce: action!.nonce, deadline: action!.deadline });
    const signer = verifyTypedData(directoryDomain(DEFAULT_SETTINGS.chainId, DEFAULT_SETTINGS.contracts.ProviderDirectory), ENCRYPTION_KEY_TYPES, message, action!.request!.signature);
    expect(signer).toBe(identity.messaging.address);
    // Retried later, by an alarm that survives a worker stop (backoff: 5 s ±20%).
    const alarm = await fakeBrowser.alarms.get(TX_QUEUE_ALARM);
    expect(alarm!.scheduledTime).toBe(action!.nextAttemptAt);
    expect(action!.nextAttemptAt - action!.updatedAt).toBeGreaterThanOrEqual(3_900);
    expect(action!.nextAttemptAt - action!.updatedAt).toBeLessThanOrEqual(6_100);
  });

  it('survives a reload: a fresh module over the same database finds the action, its signed payload and state, and sends it when due', async () => {
    const before = await (await import('../../../extension/tx-queue/queue')).queuedActions();
    expect(before.length).toBeGreaterThan(0);
    vi.resetModules(); // a new worker: nothing in memory, the same IndexedDB
    const fresh = await import('../../../extension/tx-queue/queue');
    const after = await fresh.queuedActions();
    expect(after).toEqual(before);
    // Sealed at rest: the row holds no readable field of the action.
    const { vaultDb } = await import('../../../extension/records/db');
    const rows = JSON.stringify(await vaultDb().table('txQueue').toArray(), (_k, v) => (v instanceof Uint8Array ? toHex(v) : v));
    expect(rows).not.toContain(before[0]!.nonce);
    expect(rows.toLowerCase()).not.toContain(identity.messaging.address.slice(2).toLowerCase());

    // Due now: the relayer is back and accepts it; the same signed body goes out.
    const calls = stubRelayer(() => ({ status: 202, json: pendingStatus(1) }));
    const { saveAction } = await import('../../../extension/tx-queue/store');
    for (const a of after) await saveAction({ ...a, nextAttemptAt: Date.now() - 1 });
    await fresh.runQueue();
    expect(calls).toContainEqual(after[0]!.request);
    expect((await fresh.queuedActions()).find((a) => a.id === after[0]!.id)).toMatchObject({ state: 'submitted', requestId: pendingStatus(1).id, attempts: 2, failures: 0 });
  });

  it('gives each action its own random 256-bit nonce, and a stuck action does not hold up the next', async () => {
    const { randomNonce } = await import('../../../extension/tx-queue/signing');
    const many = new Set(Array.from({ length: 200 }, () => randomNonce()));
    expect(many.size).toBe(200);
    for (const n of many) expect(n < 1n << 256n && n >= 0n).toBe(true);
    expect([...many].some((n) => n >= 1n << 200n)).toBe(true); // the whole range, not small counters

    const { enqueue, runQueue, queuedActions } = await import('../../../extension/tx-queue/queue');
    // The relayer answers "chain unavailable" for whichever action it sees first, and accepts the other.
    // The stub is in place before anything is queued: enqueue() starts an attempt of its own at once.
    const seen: string[] = [];
    stubRelayer((body) => {
      if (!seen.includes(body.message.nonce)) seen.push(body.message.nonce);
      return body.message.nonce === seen[0]
        ? { status: 503, json: { error: { code: 'chain_unavailable', message: 'The chain did not answer.', retryable: true } } }
        : { status: 202, json: pendingStatus(2) };
    });
    const first = await enqueue('publishKey', intent);
    const second = await enqueue('publishKey', intent);
    expect(first.nonce).not.toBe(second.nonce);
    await runQueue();
    await runQueue();
    const now = await queuedActions();
    const stuck = now.find((a) => a.nonce === seen[0]);
    const through = now.find((a) => a.nonce !== seen[0]);
    expect(seen).toHaveLength(2);
    expect(stuck).toMatchObject({ state: 'pending', reason: 'The chain did not answer.' });
    expect(through).toMatchObject({ state: 'submitted', requestId: pendingStatus(2).id });
  });

  it('reports a refusal in words and stops; a retry signs again and keeps the nonce', async () => {
    const { enqueue, retry, runQueue, queuedActions } = await import('../../../extension/tx-queue/queue');
    const action = await enqueue('publishKey', intent);
    stubRelayer(() => ({ status: 429, json: { error: { code: 'limit_exceeded', message: 'This account reached its hourly limit of sponsored actions.', limit: 'account', retryAfterSeconds: 900 } } }));
    await runQueue();
    const limited = (await queuedActions()).find((a) => a.id === action.id)!;
    expect(limited).toMatchObject({ state: 'pending', reason: expect.stringMatching(/hourly limit/) });
    expect(limited.nextAttemptAt - limited.updatedAt).toBeGreaterThanOrEqual(899_000); // Retry-After honoured

    const { saveAction } = await import('../../../extension/tx-queue/store');
    await saveAction({ ...limited, nextAttemptAt: Date.now() - 1 });
    stubRelayer(() => ({ status: 400, json: { error: { code: 'unknown_contract', message: 'setEncryptionKeyBySig is paid for only on ProviderDirectory 0x…; got 0x….' } } }));
    await runQueue();
    const failed = (await queuedActions()).find((a) => a.id === action.id)!;
    expect(failed).toMatchObject({ state: 'failed', reason: expect.stringMatching(/paid for only on ProviderDirectory/) });

    const again = await retry(action.id);
    expect(again).toMatchObject({ state: 'pending', nonce: action.nonce, attempts: failed.attempts });
    expect(again.request).toBeUndefined();
  });

  it('is sealed to the vault: locked, it neither lists nor queues', async () => {
    state.current = undefined;
    const { enqueue, queuedActions } = await import('../../../extension/tx-queue/queue');
    await expect(queuedActions()).rejects.toMatchObject({ code: 'locked' });
    await expect(enqueue('publishKey', intent)).rejects.toMatchObject({ code: 'locked' });
  });
});
