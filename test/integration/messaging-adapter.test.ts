// The extension's messaging port over real xmtp-js and the local relay (Node): one identity's client
// (keys from a raw account key, the bundle handed back for sealing and reused, prepare/publish
// idempotency) and the network over it (catch-up from marks in batched reads, one subscription,
// structured content, clients made only when something needs decrypting).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityKeys, InviteMark, NetworkEvents, PortConversation, PortMessage } from '../../extension/messaging/port';
import { ContentTypeStructured, StructuredCodec } from '../../extension/messaging/structured-codec';
import { connectXmtpIdentity } from '../../extension/messaging/xmtp-identity';
import { xmtpNetwork } from '../../extension/messaging/xmtp-network';
import { startTestRelay, waitFor, type TestRelay } from './helpers/relay';

let t: TestRelay;
let doctor: Awaited<ReturnType<typeof Client.create>>;
const patient: IdentityKeys = (() => {
  const key = new Uint8Array(randomBytes(32));
  return { privateKey: key, address: new Wallet(`0x${Buffer.from(key).toString('hex')}`).address.toLowerCase() };
})();
const bundles = new Map<string, Uint8Array>();
const bundleStore = { load: async (a: string) => bundles.get(a), save: async (a: string, b: Uint8Array) => void bundles.set(a, b) };

/** Records what the network reports; `known` answers from what was reported. */
function recorder() {
  const messages: PortMessage[] = [];
  const conversations: PortConversation[] = [];
  const marks: InviteMark[] = [];
  const events: NetworkEvents = {
    known: async (id) => messages.some((m) => m.id === id),
    message: async (_me, m) => void messages.push(m),
    conversation: async (_me, c) => (conversations.push(c), undefined),
    invites: async (_me, mark) => void marks.push(mark),
  };
  return { messages, conversations, marks, events };
}

beforeAll(async () => {
  t = await startTestRelay();
  doctor = await Client.create(Wallet.createRandom(), { env: 'local', apiUrl: t.relay.url });
});

afterAll(async () => {
  await doctor?.close();
  await t?.stop();
});

describe('one identity (xmtp-identity.ts)', () => {
  it('uses the account address as identity and hands back a bundle that reconnects without the key', async () => {
    let bundle: Uint8Array | undefined;
    const first = await connectXmtpIdentity({ apiUrl: t.relay.url, privateKey: patient.privateKey, onBundle: async (b) => void (bundle = b) });
    expect(first.address).toBe(patient.address);
    expect(bundle?.length).toBeGreaterThan(100);
    bundles.set(patient.address, bundle!);
    const again = await connectXmtpIdentity({ apiUrl: t.relay.url, privateKey: new Uint8Array(32), bundle, onBundle: async () => expect.fail('no new bundle') });
    expect(again.address).toBe(patient.address);
  });
});

describe('the network (xmtp-network.ts)', () => {
  it('sends; a republished envelope is stored once; catch-up finds the conversation by its invitation and its messages', async () => {
    const network = xmtpNetwork({ url: t.relay.url, bundles: bundleStore });
    expect(await network.canMessage(doctor.address)).toBe(true);
    expect(await network.registered([doctor.address, Wallet.createRandom().address])).toEqual([true, false]);
    const me = await network.messenger(patient);
    const conv = await me.open(doctor.address);
    expect(conv.peer).toBe(doctor.address.toLowerCase());
    const text = `hello ${randomUUID()}`;
    const prepared = await me.prepare(conv, { type: 'text', text });
    expect(prepared.wire).not.toContain(text);
    await me.publish(prepared.wire);
    const count = t.relay.envelopeCount();
    await me.publish(prepared.wire); // a retry after an unclear failure
    expect(t.relay.envelopeCount()).toBe(count);
    const theirs = (await doctor.conversations.list()).find((c) => c.topic === conv.id)!;
    expect((await theirs.messages()).map((m) => m.content)).toEqual([text]);
    await theirs.send('reply');

    // A new worker: nothing followed yet, no mark. The invitation brings the conversation and both messages.
    const fresh = xmtpNetwork({ url: t.relay.url, bundles: bundleStore });
    const r = recorder();
    await fresh.catchUp([{ identity: patient, conversations: [] }], r.events);
    expect(r.conversations.map((c) => c.id)).toEqual([conv.id]);
    expect(r.messages.map((m) => [m.id, m.sender, m.content])).toEqual([
      [prepared.id, patient.address, { type: 'text', text }],
      [expect.any(String), doctor.address.toLowerCase(), { type: 'text', text: 'reply' }],
    ]);
    expect(r.marks.at(-1)!.ids).toHaveLength(1);

    // The next catch-up from those marks: nothing new, so no client is even made.
    const later = xmtpNetwork({ url: t.relay.url, bundles: bundleStore });
    const again = recorder();
    again.messages.push(...r.messages);
    const since = r.messages.at(-1)!.sentAt;
    await later.catchUp([{ identity: patient, invites: r.marks.at(-1), conversations: [{ id: conv.id, since }] }], again.events);
    expect(again.messages).toHaveLength(2);
    expect(again.conversations).toEqual([]);
    expect(later.liveIdentities()).toBe(0);
  });

  it('streams new messages and new conversations through one subscription, structured content included', async () => {
    const network = xmtpNetwork({ url: t.relay.url, bundles: bundleStore });
    const r = recorder();
    const streamsBefore = t.relay.streamCount();
    await network.follow([{ identity: patient, conversations: [] }], r.events, () => undefined);
    expect(t.relay.streamCount()).toBe(streamsBefore + 1);
    // Someone new invites the patient: the conversation joins the subscription (a new stream replaces the old).
    const stranger = await Client.create(Wallet.createRandom(), { env: 'local', apiUrl: t.relay.url, codecs: [new StructuredCodec()] });
    const conv = await stranger.conversations.newConversation(patient.address);
    await conv.send('first, from a stranger');
    await waitFor(() => r.messages.some((m) => m.content.type === 'text' && m.content.text === 'first, from a stranger'), 'message of a new conversation');
    await waitFor(() => t.relay.subscriberCount(conv.topic) === 1, 'conversation topic in the subscription');
    expect(t.relay.streamCount()).toBe(streamsBefore + 1);
    const value = { kind: 'access-request' as const, scopes: ['patient/Observation.rs'], purpose: 'TREAT' };
    await conv.send(value, { contentType: ContentTypeStructured });
    await waitFor(() => r.messages.some((m) => m.content.type === 'structured'), 'structured message');
    expect(r.messages.find((m) => m.content.type === 'structured')!.content).toEqual({ type: 'structured', value });
    await network.close();
    await waitFor(() => t.relay.streamCount() === streamsBefore, 'stream closed');
  });

  it('keeps only ciphertext on the relay', () => {
    expect(readFileSync(t.relay.dataFile, 'utf8')).not.toContain('hello ');
  });
});
