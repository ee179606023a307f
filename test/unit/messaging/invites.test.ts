// Invite links on the patient's side, on the in-memory network: each invite is a fresh relationship
// identity, published at once; the first doctor to write before it expires lands in the inbox under the
// invite's name; anyone else with the same link, or anyone after it expired, lands in Requests. The
// doctor's side refuses malformed, expired and own invites before touching the network.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveAccount, deriveRelationshipMessagingAccount, mnemonicToSeed, MESSAGING_PATH } from '../../../shared/crypto/identity';
import { inviteLink, readInvite } from '../../../shared/messaging/invite';
import { FakeNetwork, freshMessagingWorker } from './fake-messenger';

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const mainAccount = deriveAccount(seed, MESSAGING_PATH);
const me = { seed, identity: { messaging: { privateKey: mainAccount.privateKey, address: mainAccount.address } } };
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => me }));
vi.mock('../../../extension/messaging/notify', () => ({
  notifyNewMessage: async () => undefined,
  setBadge: async () => undefined,
  clearNotification: async () => undefined,
  onNotificationClicked: () => undefined,
}));

const { session } = await import('../../../extension/messaging/session');
const { createInvite, joinInvite } = await import('../../../extension/messaging/invites');
const { threadsView } = await import('../../../extension/messaging/views');

const DOCTOR_A = '0x00000000000000000000000000000000000000a1';
const DOCTOR_B = '0x00000000000000000000000000000000000000b2';
const relationship = (i: number) => deriveRelationshipMessagingAccount(seed, i).address.toLowerCase();
let net: FakeNetwork;

beforeEach(async () => {
  vi.useRealTimers();
  net = new FakeNetwork();
  await freshMessagingWorker(net);
});

async function doctorWrites(doctor: string, to: string, text: string): Promise<void> {
  const peer = net.messenger(doctor);
  await peer.send(await peer.open(to), { type: 'text', text });
  await net.idle();
}

describe('invites (patient side)', () => {
  it('each invite is a fresh, published identity; the first doctor lands in the inbox under its name', async () => {
    await session();
    const first = await createInvite('Dr. Rivera');
    const second = await createInvite();
    const a = readInvite(first.link);
    const b = readInvite(second.link);
    if (!a.ok || !b.ok) throw new Error('invalid invite');
    expect([a.invite.to, b.invite.to]).toEqual([relationship(0), relationship(1)]);
    expect(a.invite.to).not.toBe(mainAccount.address.toLowerCase());
    expect(net.registeredAddresses.has(a.invite.to)).toBe(true); // the doctor's SecureMed can write to it
    expect(first.expiresAt - Date.now()).toBeGreaterThan(71 * 3600_000);

    await doctorWrites(DOCTOR_A, a.invite.to, 'Hello, this is Dr. Rivera.');
    await doctorWrites(DOCTOR_B, a.invite.to, 'I found this link.'); // the same link, someone else
    const { threads } = await threadsView();
    const fromA = threads.find((t) => t.peer === DOCTOR_A)!;
    const fromB = threads.find((t) => t.peer === DOCTOR_B)!;
    expect(fromA).toMatchObject({ consent: 'allowed', name: 'Dr. Rivera', unread: 1 });
    expect(fromB.consent).toBe('request');
    expect(fromB.name).toBeUndefined();
  });

  it('after it expired, even the first one to write goes to Requests', async () => {
    await session();
    const { link, expiresAt } = await createInvite('Dr. Late');
    const check = readInvite(link);
    if (!check.ok) throw new Error('invalid invite');
    vi.useFakeTimers({ now: expiresAt + 1000, toFake: ['Date'] });
    await doctorWrites(DOCTOR_A, check.invite.to, 'Sorry I am late.');
    const [thread] = (await threadsView()).threads;
    expect(thread).toMatchObject({ peer: DOCTOR_A, consent: 'request' });
    expect(thread!.name).toBeUndefined();
  });
});

describe('invites (doctor side)', () => {
  it('refuses malformed, expired and own invites with a sentence, and starts nothing', async () => {
    await session();
    const expired = inviteLink({ to: DOCTOR_A, expiresAt: Date.now() - 60_000 });
    await expect(joinInvite('securemed://invite?v=1&to=0x12')).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('damaged') });
    await expect(joinInvite(expired)).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('expired') });
    await expect(joinInvite('0x1234')).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('not a SecureMed invite') });
    const own = await createInvite();
    await expect(joinInvite(own.link)).rejects.toMatchObject({ message: expect.stringContaining('your own invite') });
    expect(net.conversations).toEqual([]);
  });

  it('a valid invite starts the conversation from the main (public) identity', async () => {
    const patientIdentity = '0x00000000000000000000000000000000000000c3'; // a patient's invite identity, on the node
    net.messenger(patientIdentity);
    await session();
    const threadId = await joinInvite(inviteLink({ to: patientIdentity, expiresAt: Date.now() + 3600_000 }), 'Patient R.');
    expect(net.conversations.map((c) => [...c.members].sort())).toEqual([[mainAccount.address.toLowerCase(), patientIdentity].sort()]);
    expect((await threadsView()).threads.find((t) => t.id === threadId)).toMatchObject({ name: 'Patient R.', consent: 'allowed' });
  });
});
