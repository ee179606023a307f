// Managing conversations and sending without a connection: rename, unblock (what was sent while blocked
// stays dropped), and a send while the node was down at worker start (a failed message with Retry).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Wallet } from 'ethers';
import { FakeNetwork, freshMessagingWorker, type FakePeer } from './fake-messenger';

const me = { seed: new Uint8Array(64).fill(9), identity: { messaging: { privateKey: new Uint8Array(32).fill(1), address: new Wallet(`0x${'01'.repeat(32)}`).address } } };
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => me }));
const notified = vi.fn();
vi.mock('../../../extension/messaging/notify', () => ({
  notifyNewMessage: async () => notified(),
  setBadge: async () => undefined,
  clearNotification: async () => undefined,
  onNotificationClicked: () => undefined,
}));

const { session, endSession } = await import('../../../extension/messaging/session');
const { catchUp } = await import('../../../extension/messaging/inbox');
const { send, retry } = await import('../../../extension/messaging/outbox');
const { startConversation, setConsent, unblock, rename } = await import('../../../extension/messaging/conversations');
const { threadsView, threadView } = await import('../../../extension/messaging/views');

const DOCTOR = '0x00000000000000000000000000000000000000d0';
const STRANGER = '0x00000000000000000000000000000000000000e0';
let net: FakeNetwork;
let stranger: FakePeer;

beforeEach(async () => {
  net = new FakeNetwork();
  stranger = net.messenger(STRANGER);
  net.messenger(DOCTOR); // the doctor has set up messaging on the node
  // Like the XMTP adapter, connecting needs the node (the network's first subscription fails while it is down).
  await freshMessagingWorker(net);
  notified.mockClear();
});

/** Every live delivery so far handled (the fake network's queue is drained). */
const settle = () => net.idle();
const texts = async (threadId: string) => (await threadView(threadId)).messages.map((m) => (m.content.type === 'text' ? m.content.text : '?'));

describe('rename', () => {
  it('sets, trims and clears the name the patient gave a counterparty', async () => {
    const id = await startConversation(DOCTOR);
    await rename(id, '  Dr. Okafor ');
    expect((await threadView(id)).thread.name).toBe('Dr. Okafor');
    expect((await threadsView()).threads[0]!.name).toBe('Dr. Okafor');
    await rename(id, '   ');
    expect((await threadView(id)).thread.name).toBeUndefined();
  });
});

describe('unblock', () => {
  async function blockedStranger() {
    const s = await session();
    const conv = await stranger.open(s.main);
    await stranger.send(conv, { type: 'text', text: 'before' });
    await settle();
    const id = (await threadsView()).threads[0]!.id;
    await setConsent(id, 'blocked');
    return { s, conv, id };
  }

  it('lists blocked conversations apart; unblocking moves one back to Requests', async () => {
    const { id } = await blockedStranger();
    expect(await threadsView()).toMatchObject({ threads: [], blocked: [{ id, peer: STRANGER }] });
    await unblock(id);
    const view = await threadsView();
    expect(view.blocked).toEqual([]);
    expect(view.threads).toMatchObject([{ id, consent: 'request' }]);
    expect(await texts(id)).toEqual(['before']);
  });

  it('keeps messages sent while blocked dropped, also at catch-up, and takes new ones after', async () => {
    const { s, conv, id } = await blockedStranger();
    await stranger.send(conv, { type: 'text', text: 'while blocked (stream)' });
    await settle();
    // One more that this worker never saw live: the stream is down when it arrives.
    net.live = false;
    await stranger.send(conv, { type: 'text', text: 'while blocked (unseen)' });
    notified.mockClear();
    await unblock(id);
    await catchUp(s);
    await catchUp(s);
    expect(await texts(id)).toEqual(['before']);
    expect(notified).not.toHaveBeenCalled();
    await stranger.send(conv, { type: 'text', text: 'after' });
    await catchUp(s);
    expect(await texts(id)).toEqual(['before', 'after']);
    expect(notified).toHaveBeenCalledTimes(1);
  });

  it('starting a conversation with a blocked address unblocks it without bringing back the dropped messages', async () => {
    const { s, conv, id } = await blockedStranger();
    await stranger.send(conv, { type: 'text', text: 'while blocked' });
    await settle();
    expect(await startConversation(STRANGER)).toBe(id);
    await catchUp(s);
    expect((await threadView(id)).thread.consent).toBe('allowed');
    expect(await texts(id)).toEqual(['before']);
  });
});

describe('sending while the node was down when the worker started', () => {
  it('stores the message as failed (encrypted); Retry delivers it once when the node is back', async () => {
    const threadId = await startConversation(DOCTOR);
    await endSession('connecting'); // a new worker: no connection yet
    net.down = true;
    const failed = await send(threadId, { type: 'text', text: 'written offline' });
    expect(failed.delivery).toBe('failed');
    expect((await threadView(threadId)).messages).toMatchObject([{ id: failed.id, mine: true, delivery: 'failed', content: { type: 'text', text: 'written offline' } }]);
    expect((await threadsView()).threads[0]!.preview).toBe('written offline');
    expect(await dumpMessages()).not.toContain('written offline');
    // Still down: Retry leaves it failed instead of throwing.
    expect((await retry(failed.id)).delivery).toBe('failed');

    net.down = false;
    // Two clicks at once (two open pages) share one attempt: one envelope on the network.
    const [a, b] = await Promise.all([retry(failed.id), retry(failed.id)]);
    expect(a).toEqual(b);
    expect(a.delivery).toBe('sent');
    await settle();
    expect(net.messages.filter((m) => m.content.type === 'text' && m.content.text === 'written offline')).toHaveLength(1);
    const view = await threadView(threadId);
    expect(view.messages).toMatchObject([{ id: a.id, delivery: 'sent' }]);
    expect((await retry(a.id)).delivery).toBe('sent');
    await catchUp(await session());
    expect((await threadView(threadId)).messages).toHaveLength(1);
    await expect(retry(failed.id)).rejects.toThrow('no such message');
  });

  it('still refuses to send to a blocked contact', async () => {
    const s = await session();
    await stranger.send(await stranger.open(s.main), { type: 'text', text: 'x' });
    await settle();
    const id = (await threadsView()).threads[0]!.id;
    await setConsent(id, 'blocked');
    await endSession('connecting');
    net.down = true;
    await expect(send(id, { type: 'text', text: 'no' })).rejects.toThrow('blocked');
  });
});

async function dumpMessages(): Promise<string> {
  const db = await new Promise<IDBDatabase>((res, rej) => {
    const req = indexedDB.open('securemed-messaging');
    req.onsuccess = () => res(req.result);
    req.onerror = () => rej(req.error);
  });
  const rows = await new Promise<unknown[]>((res) => (db.transaction('messages').objectStore('messages').getAll().onsuccess = (e) => res((e.target as IDBRequest).result)));
  db.close();
  expect(rows.length).toBeGreaterThan(0);
  return JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
}
