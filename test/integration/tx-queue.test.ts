// The extension's transaction queue (extension/tx-queue/) run in node against the real local stack: a
// Hardhat node process with our contracts, and the relayer. The browser parts are WXT's fake browser
// (storage, alarms) and fake-indexeddb, as in the unit tests; an "alarm clock" below fires due alarms
// the way Chrome does. The patient is a fresh identity per test, with no ETH: it only signs.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { toHex } from '../../shared/crypto/bytes';
import { deriveIdentity, generateMnemonic, mnemonicToSeed } from '../../shared/crypto/identity';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings/schema';
import type { Relayer } from '../../scripts/relayer/server';
import { freePort, startChainStack, startTestRelayer, type ChainStack } from './helpers/relayer-stack';

vi.mock('wxt/browser', async () => ({ browser: (await import('wxt/testing/fake-browser')).fakeBrowser }));
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../extension/keys/unlocked', () => ({ unlocked: async () => state.current, UNLOCKED_SEED_KEY: 'unlockedSeed' }));

const { timing } = await import('../../extension/tx-queue/backoff');
const { enqueue, queuedActions, runQueue, TX_QUEUE_ALARM } = await import('../../extension/tx-queue/queue');
type Action = Awaited<ReturnType<typeof queuedActions>>[number];

// The same schedule, shorter: seconds become a tenth of a second.
Object.assign(timing, { retryBaseMs: 200, retryMaxMs: 1_000, pollBaseMs: 100, pollMaxMs: 500 });

let stack: ChainStack;
let relayer: Relayer | undefined;
let clock: ReturnType<typeof setInterval>;

beforeAll(async () => {
  stack = await startChainStack();
  // Chrome fires an alarm once its time has come and forgets it; the fake browser only stores them.
  clock = setInterval(async () => {
    for (const alarm of await fakeBrowser.alarms.getAll()) {
      if (alarm.scheduledTime <= Date.now()) {
        await fakeBrowser.alarms.clear(alarm.name);
        await fakeBrowser.alarms.onAlarm.trigger(alarm);
      }
    }
  }, 50);
  const { startTxQueue } = await import('../../extension/tx-queue/start');
  startTxQueue(); // the alarm listener, as background.ts registers it
}, 120_000);
afterEach(async () => {
  await relayer?.close();
  relayer = undefined;
  await stack.ensureRunning();
});
afterAll(async () => {
  clearInterval(clock);
  await stack?.close();
});

async function patient() {
  const seed = await mnemonicToSeed(generateMnemonic());
  const identity = deriveIdentity(seed);
  state.current = { seed, identity };
  return { account: identity.messaging.address, key: `0x${toHex(identity.encryption.pk)}` };
}

async function pointSettingsAt(relayerUrl: string): Promise<void> {
  const settings: Settings = { ...DEFAULT_SETTINGS, chainId: stack.deployment.chainId, rpcUrl: stack.chain.url, contracts: { ...stack.deployment.contracts }, relayerUrl };
  await fakeBrowser.storage.local.set({ settings });
}

/** Waits until the action satisfies `done` (the queue runs on its own: timers and alarms). */
async function until(id: string, done: (a: Action) => boolean, timeoutMs = 45_000): Promise<Action> {
  let last: Action | undefined;
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    last = (await queuedActions()).find((a) => a.id === id);
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`action ${id} did not reach the expected state; last: ${JSON.stringify(last)}`);
}

async function expectKeyOnChain(action: Action, want: { account: string; key: string }) {
  expect(((await stack.directory.encryptionKeyOf(want.account)) as string).toLowerCase()).toBe(want.key);
  const receipt = await stack.provider.getTransactionReceipt(action.txHash!);
  expect(receipt?.status).toBe(1);
  expect(receipt?.blockNumber).toBe(action.blockNumber);
}

describe('the transaction queue against the local chain and relayer', () => {
  it('relayer down: the action stays pending with the reason; when the relayer is back it is submitted and confirmed', async () => {
    const port = await freePort();
    await pointSettingsAt(`http://127.0.0.1:${port}`);
    const me = await patient();
    const queued = await enqueue('publishKey', me);

    const waiting = await until(queued.id, (a) => a.attempts >= 2);
    expect(waiting).toMatchObject({ state: 'pending', reason: `The relayer at http://127.0.0.1:${port} could not be reached. SecureMed will try again.` });
    expect(waiting.request?.function).toBe('setEncryptionKeyBySig'); // signed once, kept
    expect(await fakeBrowser.alarms.get(TX_QUEUE_ALARM)).toBeDefined(); // the retry survives a worker stop
    expect(await stack.directory.encryptionKeyOf(me.account)).toBe(`0x${'0'.repeat(64)}`);

    relayer = await startTestRelayer(stack, { port });
    const done = await until(queued.id, (a) => a.state === 'confirmed' || a.state === 'failed');
    expect(done).toMatchObject({ state: 'confirmed', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/), requestId: expect.stringMatching(/^ra_/) });
    expect(done.reason).toBeUndefined();
    await expectKeyOnChain(done, me);
    // Nothing left to do: no alarm once the queue is empty of pending work.
    await runQueue();
    expect(await fakeBrowser.alarms.get(TX_QUEUE_ALARM)).toBeUndefined();
  });

  it('chain down when queued: waits (nothing to sign against), and signs, submits and confirms once the chain is back', async () => {
    relayer = await startTestRelayer(stack);
    await pointSettingsAt(relayer.url);
    const me = await patient();
    await stack.chain.stop();
    const queued = await enqueue('publishKey', me);
    const waiting = await until(queued.id, (a) => a.attempts === 0 && a.failures >= 2);
    expect(waiting).toMatchObject({ state: 'pending', reason: expect.stringMatching(/The chain at http:\/\/127\.0\.0\.1:\d+ does not answer right now/) });
    expect(waiting.request).toBeUndefined(); // a deadline needs the chain's block time

    await stack.chain.start();
    await stack.redeploy();
    const done = await until(queued.id, (a) => a.state === 'confirmed' || a.state === 'failed');
    expect(done.state).toBe('confirmed');
    expect(BigInt(done.deadline!)).toBe(BigInt(done.request!.message.deadline as string));
    await expectKeyOnChain(done, me);
  });

  it('chain restarted after submission: the lost transaction is re-sent, and when the relayer gives up the queue sends it again; confirmed on the new chain', async () => {
    relayer = await startTestRelayer(stack, { retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 200, pollMs: 50, lostAfterPolls: 4 } });
    await pointSettingsAt(relayer.url);
    const me = await patient();
    await stack.provider.send('evm_setAutomine', [false]); // the transaction stays in the mempool
    const queued = await enqueue('publishKey', me);
    const sent = await until(queued.id, (a) => a.state === 'submitted' && a.txHash !== undefined);

    await stack.chain.stop();
    const waiting = await until(queued.id, (a) => a.reason !== undefined);
    expect(waiting).toMatchObject({ state: 'submitted', reason: expect.stringMatching(/waiting for the chain/) }); // the relayer's words

    // A fresh chain without our contracts: the relayer re-simulates, retries, then gives up (retryable);
    // the queue takes the action back and keeps offering it, in words, until the contracts are there.
    await stack.chain.start();
    const retrying = await until(queued.id, (a) => a.state === 'pending' && a.attempts >= 2);
    expect(retrying.reason).toMatch(/No contract at|chain/);
    await stack.redeploy();
    const done = await until(queued.id, (a) => a.state === 'confirmed' || a.state === 'failed');
    expect(done.state).toBe('confirmed');
    expect(done.attempts).toBeGreaterThan(sent.attempts); // the queue sent it again (the hash may repeat: same sender nonce on a fresh chain)
    expect(done.nonce).toBe(queued.nonce); // the same action, the same nonce
    await expectKeyOnChain(done, me);
  });
});
