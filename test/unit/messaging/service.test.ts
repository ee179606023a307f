// The messaging service over the Messenger port with an in-memory network: consent gating, de-duplication
// between stream and catch-up, delivery states with an idempotent retry, and encryption at rest.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Wallet } from 'ethers';
import { FakeNetwork, freshMessagingWorker, type FakePeer } from './fake-messenger';

const seed = new Uint8Array(64).fill(7);
const me = { seed, identity: { messaging: { privateKey: new Uint8Array(32).fill(1), address: new Wallet(`0x${'01'.repeat(32)}`).address } } };
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => me }));
const notified = vi.fn();
const badge = vi.fn();
vi.mock('../../../extension/messaging/notify', () => ({
  notifyNewMessage: async () => notified(),
  setBadge: async (n: number) => badge(n),
  clearNotification: async () => undefined,
  onNotificationClicked: () => undefined,
}));

const { session } = await import('../../../extension/messaging/session');
const { catchUp } = await import('../../../extension/messaging/inbox');
const { send, retry, recoverPending } = await import('../../../extension/messaging/outbox');
const { startConversation, setConsent } = await import('../../../extension/messaging/conversations');
const { threadsView, threadView, summaryView } = await import('../../../extension/messaging/views');

const DOCTOR = '0x00000000000000000000000000000000000000d0';
const STRANGER = '0x00000000000000000000000000000000000000e0';
let net: FakeNetwork;
let doctor: FakePeer;

beforeEach(async () => {
  net = new FakeNetwork();
  doctor = net.messenger(DOCTOR);
  await freshMessagingWorker(net);
  notified.mockClear();
  badge.mockClear();
});

/** Every live delivery so far handled (the fake network's queue is drained). */
const settle = () => net.idle();

describe('messaging service', () => {
  it('puts a conversation the patient started in the inbox and shows both sides', async () => {
    const threadId = await startConversation(DOCTOR, 'Dr. Rivera');
    expect(await send(threadId, { type: 'text', text: 'hello' })).toMatchObject({ delivery: 'sent' });
    const conv = (await doctor.conversations())[0]!;
    await doctor.send(conv, { type: 'text', text: 'hi back' });
    await settle();
    const view = await threadView(threadId);
    expect(view.messages.map((m) => [m.mine, m.content])).toEqual([
      [true, { type: 'text', text: 'hello' }],
      [false, { type: 'text', text: 'hi back' }],
    ]);
    expect(view.thread).toMatchObject({ consent: 'allowed', name: 'Dr. Rivera', unread: 1 });
    expect(notified).toHaveBeenCalledTimes(1);
    expect(badge).toHaveBeenLastCalledWith(1);
  });

  it('stores a message seen by the stream and by catch-up once', async () => {
    const s = await session();
    const stranger = net.messenger(STRANGER);
    const conv = await stranger.open(s.main);
    await stranger.send(conv, { type: 'text', text: 'one' });
    await settle();
    await catchUp(s);
    await catchUp(s);
    const { threads } = await threadsView();
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ consent: 'request', unread: 1 });
    expect((await threadView(threads[0]!.id)).messages).toHaveLength(1);
    expect(await summaryView()).toMatchObject({ unread: 0, requests: 1 });
  });

  it('drops and never notifies messages from a blocked counterparty', async () => {
    const s = await session();
    const stranger = net.messenger(STRANGER);
    const conv = await stranger.open(s.main);
    await stranger.send(conv, { type: 'text', text: 'spam 1' });
    await settle();
    const id = (await threadsView()).threads[0]!.id;
    await setConsent(id, 'blocked');
    notified.mockClear();
    await stranger.send(conv, { type: 'text', text: 'spam 2' });
    await settle();
    await catchUp(s);
    expect(notified).not.toHaveBeenCalled();
    expect((await threadsView()).threads).toHaveLength(0);
    await expect(threadView(id)).rejects.toThrow('not available');
  });

  it('marks a send failed while the network is down; retry delivers it exactly once', async () => {
    const threadId = await startConversation(DOCTOR);
    net.down = true;
    const failed = await send(threadId, { type: 'text', text: 'offline' });
    expect(failed.delivery).toBe('failed');
    net.down = false;
    expect((await retry(failed.id)).delivery).toBe('sent');
    expect((await retry(failed.id)).delivery).toBe('sent'); // a second click changes nothing
    expect(net.messages.filter((m) => m.id === failed.id)).toHaveLength(1);
    const conv = (await doctor.conversations())[0]!;
    expect(await doctor.list(conv)).toHaveLength(1);
  });

  it('after a worker restart, an interrupted send is failed unless the network already has it', async () => {
    const threadId = await startConversation(DOCTOR);
    const s = await session();
    const thread = await threadView(threadId);
    // Simulate a worker that stopped between "stored as sending" and the publish result.
    const messenger = await s.network.messenger(s.identities.keysOf(s.identities.forCounterparty(DOCTOR)!));
    const conv = { id: (await doctor.conversations())[0]!.id, peer: DOCTOR, createdAt: 0 };
    const prepared = await messenger.prepare(conv, { type: 'text', text: 'in flight' });
    const { writeMessage } = await import('../../../extension/messaging/history');
    await writeMessage(s.keys, { id: prepared.id, threadId: thread.thread.id, sender: messenger.address, sentAt: prepared.sentAt, content: { type: 'text', text: 'in flight' }, delivery: 'sending', wire: prepared.wire });
    await recoverPending(s.keys);
    expect((await threadView(threadId)).messages[0]!.delivery).toBe('failed');
    await messenger.publish(prepared.wire); // it did reach the node after all
    await catchUp(s);
    expect((await threadView(threadId)).messages[0]!.delivery).toBe('sent');
  });

  it('keeps no plaintext text or counterparty address in IndexedDB', async () => {
    const threadId = await startConversation(DOCTOR, 'Dr. Rivera');
    await send(threadId, { type: 'text', text: 'very private words' });
    const dump = await dumpDb('securemed-messaging');
    expect(dump.length).toBeGreaterThan(100);
    expect(dump).not.toContain('very private words');
    expect(dump).not.toContain('Dr. Rivera');
    expect(dump.toLowerCase()).not.toContain(DOCTOR.slice(2));
  });
});

async function dumpDb(name: string): Promise<string> {
  const db = await new Promise<IDBDatabase>((res, rej) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => res(req.result);
    req.onerror = () => rej(req.error);
  });
  const out: unknown[] = [];
  for (const store of Array.from(db.objectStoreNames)) {
    out.push(await new Promise((res) => (db.transaction(store).objectStore(store).getAll().onsuccess = (e) => res((e.target as IDBRequest).result))));
  }
  db.close();
  return JSON.stringify(out, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
}
