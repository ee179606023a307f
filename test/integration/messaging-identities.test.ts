// A patient with eight counterparties, each talked to from its own relationship identity (derived from
// one seed), against the real relay and eight real xmtp-js doctors: everyone sends and receives at once
// while all are followed, through ONE subscription for the patient; the relay's stored invitations never
// put two doctors with one patient identity; a fresh network (a new worker) makes no client until an
// identity has something new.
import { randomBytes } from 'node:crypto';
import { Client, type Conversation, type DecodedMessage } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAccount, deriveRelationshipMessagingAccount, MESSAGING_PATH } from '../../shared/crypto/identity';
import type { IdentityKeys, InviteMark, NetworkEvents, PortMessage } from '../../extension/messaging/port';
import { inviteTopicOf } from '../../extension/messaging/xmtp-identity';
import { xmtpNetwork } from '../../extension/messaging/xmtp-network';
import { invitePairs } from '../e2e/flows/messaging-invites';
import { partnersByAddress } from '../e2e/flows/messaging-partners';
import { startTestRelay, waitFor, type TestRelay } from './helpers/relay';

const N = 8;
const seed = new Uint8Array(randomBytes(64));
const identities: IdentityKeys[] = Array.from({ length: N }, (_, i) => {
  const a = deriveRelationshipMessagingAccount(seed, i);
  return { address: a.address.toLowerCase(), privateKey: a.privateKey };
});
const mainAddress = deriveAccount(seed, MESSAGING_PATH).address.toLowerCase();
const bundles = new Map<string, Uint8Array>();
const bundleStore = { load: async (a: string) => bundles.get(a), save: async (a: string, b: Uint8Array) => void bundles.set(a, b) };

let t: TestRelay;
type XmtpClient = Awaited<ReturnType<typeof Client.create>>;
let doctors: XmtpClient[];
const doctorInbox: Array<DecodedMessage[]> = Array.from({ length: N }, () => []);
const stopDoctorStreams: Array<() => Promise<unknown>> = [];
const received: Array<{ me: string; m: PortMessage }> = [];
const marks = new Map<string, InviteMark>();
const events: NetworkEvents = {
  known: async (id) => received.some((r) => r.m.id === id),
  message: async (me, m) => void received.push({ me, m }),
  conversation: async () => undefined,
  invites: async (me, mark) => void marks.set(me, mark),
};
let patient: ReturnType<typeof xmtpNetwork>;
const conversations: string[] = [];

beforeAll(async () => {
  t = await startTestRelay();
  patient = xmtpNetwork({ url: t.relay.url, bundles: bundleStore });
  doctors = await Promise.all(Array.from({ length: N }, () => Client.create(Wallet.createRandom(), { env: 'local', apiUrl: t.relay.url })));
  // Each doctor follows its own conversations with a stream of its own (they are separate people).
  for (const [i, d] of doctors.entries()) {
    const stream = await d.conversations.streamAllMessages();
    stopDoctorStreams.push(() => stream.return(undefined));
    void (async () => {
      for await (const m of stream) doctorInbox[i]!.push(m);
    })();
  }
});

afterAll(async () => {
  await patient?.close();
  for (const stop of stopDoctorStreams) await stop().catch(() => undefined);
  await Promise.all((doctors ?? []).map((d) => d.close()));
  await t?.stop();
});

describe(`a patient with ${N} counterparties`, () => {
  it('follows all of them through one subscription', async () => {
    // xmtp-js subscribes without awaiting: wait until the doctors' own streams are all open.
    await waitFor(() => t.relay.streamCount() === N, "the doctors' streams");
    const before = t.relay.streamCount();
    await patient.follow(identities.map((identity) => ({ identity, conversations: [] })), events, () => expect.fail('stream lost'));
    for (const [i, identity] of identities.entries()) {
      const c = await (await patient.messenger(identity)).open(doctors[i]!.address);
      conversations.push(c.id);
    }
    // Each conversation topic is followed by the patient's one stream and by its doctor's own.
    await waitFor(() => conversations.every((c) => t.relay.subscriberCount(c) === 2), 'every conversation in the subscriptions');
    for (const identity of identities) expect(t.relay.subscriberCount(inviteTopicOf(identity.address))).toBe(1);
    // The doctors' streams were open before; the patient added exactly one (replaced, never added to).
    await waitFor(() => t.relay.streamCount() === before + 1, 'one stream for the patient');
  });

  it('sends to and receives from all of them at the same time, without stalls', async () => {
    // All eight sends at once, each from its own identity.
    await Promise.all(identities.map(async (identity, i) => (await patient.messenger(identity)).send({ id: conversations[i]!, peer: doctors[i]!.address.toLowerCase(), createdAt: 0 }, { type: 'text', text: `to doctor ${i}` })));
    await waitFor(() => doctorInbox.every((inbox, i) => inbox.some((m) => m.content === `to doctor ${i}`)), 'every doctor received its message', 30_000);
    for (const [i, inbox] of doctorInbox.entries()) {
      const mine = inbox.find((m) => m.content === `to doctor ${i}`)!;
      expect(mine.senderAddress.toLowerCase()).toBe(identities[i]!.address);
    }
    // All eight answer at once; the patient's one subscription delivers each to the identity it reached.
    await Promise.all(
      doctors.map(async (d, i) => {
        const c = (await d.conversations.list()).find((x: Conversation) => x.topic === conversations[i])!;
        await c.send(`from doctor ${i}`);
      }),
    );
    await waitFor(() => identities.every((_, i) => received.some((r) => r.m.content.type === 'text' && r.m.content.text === `from doctor ${i}`)), 'every answer', 30_000);
    for (const [i, identity] of identities.entries()) {
      const answer = received.find((r) => r.m.content.type === 'text' && r.m.content.text === `from doctor ${i}`)!;
      expect(answer.me).toBe(identity.address);
      expect(answer.m.peer).toBe(doctors[i]!.address.toLowerCase());
      expect(answer.m.conversationId).toBe(conversations[i]);
    }
    // A second round in both directions, to see nothing got stuck behind the first.
    await Promise.all(identities.map(async (identity, i) => (await patient.messenger(identity)).send({ id: conversations[i]!, peer: doctors[i]!.address.toLowerCase(), createdAt: 0 }, { type: 'text', text: `again ${i}` })));
    await waitFor(() => doctorInbox.every((inbox, i) => inbox.some((m) => m.content === `again ${i}`)), 'second round', 30_000);
  });

  it('catches up all eight in batched reads on a new worker, making no client when nothing is new', async () => {
    const fresh = xmtpNetwork({ url: t.relay.url, bundles: bundleStore });
    const followed = () =>
      identities.map((identity, i) => {
        const last = Math.max(...received.filter((r) => r.me === identity.address).map((r) => r.m.sentAt));
        return { identity, invites: marks.get(identity.address), conversations: [{ id: conversations[i]!, since: last }] };
      });
    // The live path set no invitation marks (the patient opened every conversation): a first catch-up reads them.
    await fresh.catchUp(followed(), events);
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => (calls.push(new URL(String(input)).pathname), fetch(input, init));
    const later = xmtpNetwork({ url: t.relay.url, bundles: bundleStore, fetcher: counting });
    await later.catchUp(followed(), events);
    // Sixteen topics (8 invitation topics, 8 conversations): one request, and no identity's keys loaded.
    expect(calls).toEqual(['/message/v1/batch-query']);
    expect(later.liveIdentities()).toBe(0);
    await doctors[3]!.conversations.list().then((cs) => cs.find((c) => c.topic === conversations[3])!.send('one more from doctor 3'));
    await later.catchUp(followed(), events);
    expect(received.some((r) => r.m.content.type === 'text' && r.m.content.text === 'one more from doctor 3')).toBe(true);
    expect(later.liveIdentities()).toBe(1);
  });

  it("stores no invitation that links two doctors, or the patient's main address, to one identity", async () => {
    const pairs = await invitePairs(t.relay.dataFile);
    expect(pairs.length).toBeGreaterThanOrEqual(N); // the scan sees real invitations
    const partners = partnersByAddress(pairs);
    const doctorAddresses = doctors.map((d) => d.address.toLowerCase());
    for (const [i, identity] of identities.entries()) expect([...partners.get(identity.address)!]).toEqual([doctorAddresses[i]]);
    for (const [i, d] of doctorAddresses.entries()) expect([...partners.get(d)!]).toEqual([identities[i]!.address]);
    expect(partners.has(mainAddress)).toBe(false);
  });
});
