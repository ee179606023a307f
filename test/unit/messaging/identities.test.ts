// One messaging identity per counterparty, on the in-memory network: the derivation (vectors checked
// against ethers' independent BIP-32), each doctor seeing its own patient address, restore by discovery
// (gap limit), allocation skipping indexes another device used, conversations from before staying on
// the main identity, and no identity loaded at start-up when nothing is new.
import { HDNodeWallet } from 'ethers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  deriveAccount,
  deriveRelationshipMessagingAccount,
  mnemonicToSeed,
  MESSAGING_PATH,
  relationshipMessagingPath,
} from '../../../shared/crypto/identity';
import { deleteMessagingDb, FakeNetwork, freshMessagingWorker, type FakeMessagingNetwork, type FakePeer } from './fake-messenger';

const HARDHAT = 'test test test test test test test test test test test junk';
const seed = await mnemonicToSeed(HARDHAT);
const mainAccount = deriveAccount(seed, MESSAGING_PATH);
const me = { seed, identity: { messaging: { privateKey: mainAccount.privateKey, address: mainAccount.address } } };
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => me }));
vi.mock('../../../extension/messaging/notify', () => ({
  notifyNewMessage: async () => undefined,
  setBadge: async () => undefined,
  clearNotification: async () => undefined,
  onNotificationClicked: () => undefined,
}));

const { session, endSession } = await import('../../../extension/messaging/session');
const { catchUp } = await import('../../../extension/messaging/inbox');
const { send } = await import('../../../extension/messaging/outbox');
const { startConversation } = await import('../../../extension/messaging/conversations');
const { threadsView, threadView } = await import('../../../extension/messaging/views');
const { writeThread } = await import('../../../extension/messaging/history');
const { DISCOVERY_GAP } = await import('../../../extension/messaging/identities');

const DOCTOR_A = '0x00000000000000000000000000000000000000a1';
const DOCTOR_B = '0x00000000000000000000000000000000000000b2';
const relationship = (i: number) => deriveRelationshipMessagingAccount(seed, i).address.toLowerCase();
let net: FakeNetwork;
let network: FakeMessagingNetwork;
let doctorA: FakePeer;
let doctorB: FakePeer;

beforeEach(async () => {
  net = new FakeNetwork();
  doctorA = net.messenger(DOCTOR_A);
  doctorB = net.messenger(DOCTOR_B);
  await freshMessagingWorker(net, (n) => (network = n));
});

/** Every live delivery so far handled (the fake network's queue is drained). */
const settle = () => net.idle();
const texts = async (threadId: string) => (await threadView(threadId)).messages.map((m) => (m.content.type === 'text' ? m.content.text : '?'));
/** A new worker on a fresh profile: nothing local, the same phrase. */
async function freshProfile(): Promise<void> {
  await endSession('locked');
  await deleteMessagingDb();
}

describe('relationship identity derivation', () => {
  it("derives m/44'/60'/7877'/2/i' (hardened), equal to ethers' BIP-32, distinct from the main identity", () => {
    expect(relationshipMessagingPath(0)).toBe("m/44'/60'/7877'/2/0'");
    // Frozen vectors (test phrase); ethers derives the same path independently.
    const vectors: Record<number, string> = {
      0: '0x28774bFFB6A54Afe39F1FdC46a678F6C1C348d10',
      1: '0x26205363F9476Baa95ECD119592D55217CC400Bd',
      7: '0x6FC873db954db94422c025D24E45Bad0a2a79037',
    };
    for (const [i, address] of Object.entries(vectors)) {
      expect(deriveRelationshipMessagingAccount(seed, Number(i)).address).toBe(address);
      expect(HDNodeWallet.fromPhrase(HARDHAT, undefined, relationshipMessagingPath(Number(i))).address).toBe(address);
    }
    expect(Object.values(vectors)).not.toContain(mainAccount.address);
    expect(() => relationshipMessagingPath(-1)).toThrow();
    expect(() => relationshipMessagingPath(2 ** 31)).toThrow();
    expect(() => relationshipMessagingPath(1.5)).toThrow();
  });
});

describe('one identity per counterparty', () => {
  it('talks to each doctor from its own address; neither is the main one; the thread says which', async () => {
    const a = await startConversation(DOCTOR_A, 'Dr. A');
    const b = await startConversation(DOCTOR_B, 'Dr. B');
    await send(a, { type: 'text', text: 'to A' });
    await send(b, { type: 'text', text: 'to B' });
    const [convA] = await doctorA.conversations();
    const [convB] = await doctorB.conversations();
    expect(convA!.peer).toBe(relationship(0));
    expect(convB!.peer).toBe(relationship(1));
    expect([convA!.peer, convB!.peer]).not.toContain(mainAccount.address.toLowerCase());
    expect((await threadView(a)).me).toEqual({ address: relationship(0), private: true });
    expect((await threadView(b)).me).toEqual({ address: relationship(1), private: true });
    // Replies land in the right thread, in the inbox, and count as theirs.
    await doctorA.send(convA!, { type: 'text', text: 'from A' });
    await settle();
    expect(await texts(a)).toEqual(['to A', 'from A']);
    expect((await threadView(a)).messages.map((m) => m.mine)).toEqual([true, false]);
    expect(await texts(b)).toEqual(['to B']);
    // Starting again with the same doctor reuses the same identity and thread.
    expect(await startConversation(DOCTOR_A)).toBe(a);
    expect((await doctorA.conversations()).map((c) => c.peer)).toEqual([relationship(0)]);
  });

  it('a restore from the phrase in a fresh profile finds both identities and brings both conversations back', async () => {
    const a = await startConversation(DOCTOR_A);
    const b = await startConversation(DOCTOR_B);
    await send(a, { type: 'text', text: 'to A' });
    await send(b, { type: 'text', text: 'to B' });
    await doctorB.send((await doctorB.conversations())[0]!, { type: 'text', text: 'from B' });
    await settle();

    await freshProfile();
    const s = await session();
    expect(s.identities.all().map((r) => r.slot).sort()).toEqual([0, 1, 'main']);
    await catchUp(s);
    const { threads } = await threadsView();
    expect(threads.map((t) => [t.peer, t.consent]).sort()).toEqual([
      [DOCTOR_A, 'allowed'],
      [DOCTOR_B, 'allowed'],
    ]);
    expect(threads.map((t) => t.id).sort()).toEqual([a, b].sort());
    expect(await texts(a)).toEqual(['to A']);
    expect(await texts(b)).toEqual(['to B', 'from B']);
    expect(s.identities.forCounterparty(DOCTOR_B)!.slot).toBe(1);
    // The next counterparty gets a new index, not a restored one.
    net.messenger('0x00000000000000000000000000000000000000c3');
    await startConversation('0x00000000000000000000000000000000000000c3');
    expect(s.identities.forCounterparty('0x00000000000000000000000000000000000000c3')!.slot).toBe(2);
  });

  it(`discovery scans past unused indexes up to a gap of ${DISCOVERY_GAP}, and no further`, async () => {
    for (const i of [0, DISCOVERY_GAP, 3 * DISCOVERY_GAP]) net.registeredAddresses.add(relationship(i));
    const s = await session();
    // 0 is found; DISCOVERY_GAP is within the window after 0; 3·GAP is past a whole unused window.
    expect(s.identities.all().map((r) => r.slot).sort()).toEqual([0, DISCOVERY_GAP, 'main']);
  });

  it('a new counterparty skips an index another device with the same phrase already used', async () => {
    net.registeredAddresses.add(relationship(0)); // used elsewhere after this profile last looked
    await session();
    net.registeredAddresses.add(relationship(1));
    await startConversation(DOCTOR_A);
    const s = await session();
    expect(s.identities.forCounterparty(DOCTOR_A)!.slot).toBe(2);
    expect(s.identities.all().map((r) => r.slot).sort()).toEqual([0, 1, 2, 'main']);
  });

  it('keeps a conversation from before on the main identity, and a new counterparty still gets its own', async () => {
    // A thread written by the previous version: no identity field, no identity rows at all.
    const old = net.messenger(DOCTOR_A);
    const conv = await old.open(mainAccount.address.toLowerCase());
    await old.send(conv, { type: 'text', text: 'old times' });
    const { keys } = await (await import('../../../extension/messaging/session')).messagingKeys();
    const { threadIdOf } = await import('../../../extension/messaging/keys');
    const legacyId = threadIdOf(keys, DOCTOR_A);
    await writeThread(keys, { id: legacyId, peer: DOCTOR_A, conversationId: conv.id, consent: 'allowed', unread: 0, seen: { [conv.id]: Date.now() - 60_000 }, lastMessageAt: 0, createdAt: 1 });
    const s = await session();
    expect(Object.keys(s.identities.bySlot('main')!.conversations)).toEqual([conv.id]);
    await catchUp(s);
    expect(await texts(legacyId)).toEqual(['old times']);
    // Writing to that doctor again stays in that thread, from the main address.
    expect(await startConversation(DOCTOR_A)).toBe(legacyId);
    await send(legacyId, { type: 'text', text: 'still here' });
    expect((await old.list(conv)).map((m) => m.sender)).toEqual([DOCTOR_A, mainAccount.address.toLowerCase()]);
    expect((await threadView(legacyId)).me).toEqual({ address: mainAccount.address.toLowerCase(), private: false });
    const b = await startConversation(DOCTOR_B);
    expect((await threadView(b)).me.address).toBe(relationship(0));
  });

  it('a new worker loads no identity when nothing is new, and only the one that has a message', async () => {
    const peers = Array.from({ length: 8 }, (_, i) => `0x${(0xd0 + i).toString(16).padStart(40, '0')}`);
    for (const p of peers) net.messenger(p);
    for (const p of peers) await send(await startConversation(p), { type: 'text', text: `hello ${p}` });
    await endSession('connecting');
    const s = await session();
    await catchUp(s);
    expect(network.messengersMade).toBe(0);
    const doctor = net.messenger(peers[5]!);
    await doctor.send((await doctor.conversations())[0]!, { type: 'text', text: 'reply' });
    await settle();
    expect(network.messengersMade).toBe(0); // receiving needs no writer
    const thread = (await threadsView()).threads.find((t) => t.peer === peers[5])!;
    await send(thread.id, { type: 'text', text: 'again' });
    expect(network.messengersMade).toBe(1);
  });

  it('keeps no address in clear in the messaging database: ours (main, relationship) or theirs', async () => {
    await send(await startConversation(DOCTOR_A), { type: 'text', text: 'x' });
    const s = await session();
    const { writeBundle, readBundle } = await import('../../../extension/messaging/history');
    for (const r of s.identities.all()) await writeBundle(s.keys, r.address, new Uint8Array([1, 2, 3]));
    const dump = (await dumpMessagingDb()).toLowerCase();
    expect(dump).toContain('bundle:'); // the scan sees the key bundle rows
    for (const a of [mainAccount.address.toLowerCase(), relationship(0), DOCTOR_A]) expect(dump).not.toContain(a.slice(2));
    expect(await readBundle(s.keys, relationship(0))).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('reads a key bundle stored under the address by the previous version, and moves it on the next write', async () => {
    const s = await session();
    const { writeBundle, readBundle } = await import('../../../extension/messaging/history');
    const { sealBytes } = await import('../../../extension/messaging/keys');
    const main = mainAccount.address.toLowerCase();
    await putStateRow(`bundle:${main}`, await sealBytes(s.keys, 'xmtp-bundle', main, new Uint8Array([9])));
    expect(await readBundle(s.keys, main)).toEqual(new Uint8Array([9]));
    await writeBundle(s.keys, main, new Uint8Array([8]));
    expect(await readBundle(s.keys, main)).toEqual(new Uint8Array([8]));
    expect((await dumpMessagingDb()).toLowerCase()).not.toContain(main.slice(2));
  });
});

function openMessagingDb(): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((res, rej) => {
    const req = indexedDB.open('securemed-messaging');
    req.onsuccess = () => res(req.result);
    req.onerror = () => rej(req.error);
  });
}

async function putStateRow(key: string, sealed: Uint8Array): Promise<void> {
  const db = await openMessagingDb();
  await new Promise((res) => (db.transaction('state', 'readwrite').objectStore('state').put({ key, sealed }).onsuccess = res));
  db.close();
}

async function dumpMessagingDb(): Promise<string> {
  const db = await openMessagingDb();
  const out: unknown[] = [];
  for (const store of Array.from(db.objectStoreNames)) {
    out.push(await new Promise((res) => (db.transaction(store).objectStore(store).getAll().onsuccess = (e) => res((e.target as IDBRequest).result))));
  }
  db.close();
  return JSON.stringify(out, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
}
