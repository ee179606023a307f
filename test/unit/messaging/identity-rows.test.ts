// The identity registry's rows under concurrent updates. Regression (issue 16): the live stream reports
// our own new invitation (its mark, and the conversation it opened) while startConversation records the
// same conversation; each update copied the record as it was before the other's write landed, so the
// last write dropped the other's change. The lost conversation topic was then missing after a
// service-worker restart: neither the catch-up nor the new subscription followed it, so the doctor's
// next messages never arrived.
import { beforeEach, describe, expect, it } from 'vitest';
import { deriveAccount, mnemonicToSeed, MESSAGING_PATH } from '../../../shared/crypto/identity';
import { Identities } from '../../../extension/messaging/identities';
import { deriveMessagingKeys } from '../../../extension/messaging/keys';
import type { MessagingNetwork } from '../../../extension/messaging/port';
import { deleteMessagingDb } from './fake-messenger';

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const keys = await deriveMessagingKeys(seed);
const account = deriveAccount(seed, MESSAGING_PATH);
const main = { address: account.address.toLowerCase(), privateKey: account.privateKey };
const DOCTOR = '0x00000000000000000000000000000000000000a1';
const OTHER = '0x00000000000000000000000000000000000000b2';
// Allocation asks the node which indexes are used: none here.
const emptyNode = { registered: async (addresses: string[]) => addresses.map(() => false) } as unknown as MessagingNetwork;
/** What a new worker reads: the rows as stored. */
const reload = () => Identities.load(keys, seed, main, async () => []);

beforeEach(() => deleteMessagingDb());

describe('identity rows under concurrent updates', () => {
  it('keeps a conversation recorded while the invitation mark is saved (a restart still follows it)', async () => {
    const ids = await reload();
    const r = await ids.allocate(DOCTOR, emptyNode);
    await Promise.all([ids.addConversation(r.address, '/xmtp/0/m-one/proto', DOCTOR), ids.setInvites(r.address, { ns: '1000', ids: ['aa'] })]);
    for (const view of [ids, await reload()]) {
      const row = view.get(r.address)!;
      expect(row.conversations).toEqual({ '/xmtp/0/m-one/proto': DOCTOR });
      expect(row.invites).toEqual({ ns: '1000', ids: ['aa'] });
      expect(view.followed(() => undefined).find((f) => f.identity.address === r.address)!.conversations.map((c) => c.id)).toEqual(['/xmtp/0/m-one/proto']);
    }
  });

  it('keeps every conversation and mark when many updates interleave', async () => {
    const ids = await reload();
    const r = await ids.allocate(DOCTOR, emptyNode);
    const topics = Array.from({ length: 6 }, (_, i) => `/xmtp/0/m-${i}/proto`);
    await Promise.all([
      ...topics.map((t, i) => ids.addConversation(r.address, t, i % 2 ? OTHER : DOCTOR)),
      ids.setInvites(r.address, { ns: '5', ids: ['a'] }),
      ids.setInvites(r.address, { ns: '5', ids: ['b'] }),
      ids.addConversation(main.address, '/xmtp/0/m-main/proto', OTHER),
    ]);
    const row = (await reload()).get(r.address)!;
    expect(Object.keys(row.conversations).sort()).toEqual([...topics].sort());
    expect(row.counterparty).toBe(DOCTOR); // the one it was made for, whatever came first
    expect(row.invites).toEqual({ ns: '5', ids: ['a', 'b'] });
    expect((await reload()).get(main.address)!.conversations).toEqual({ '/xmtp/0/m-main/proto': OTHER });
  });
});

describe('rows that lost a conversation before updates were queued', () => {
  it('follow it again from the thread that uses it', async () => {
    const ids = await reload();
    const r = await ids.allocate(DOCTOR, emptyNode); // as stored by the bug: no conversation
    await ids.followThreads([
      { identity: r.slot as number, peer: DOCTOR, conversationId: '/xmtp/0/m-two/proto', seen: { '/xmtp/0/m-one/proto': 1, '/xmtp/0/m-two/proto': 2 } },
      { peer: OTHER, conversationId: '/xmtp/0/m-main/proto', seen: {} },
      { identity: 9, peer: OTHER, conversationId: '/xmtp/0/m-unknown/proto', seen: {} }, // no such identity here: ignored
    ]);
    const again = await reload();
    expect(again.get(r.address)!.conversations).toEqual({ '/xmtp/0/m-one/proto': DOCTOR, '/xmtp/0/m-two/proto': DOCTOR });
    expect(again.get(main.address)!.conversations).toEqual({ '/xmtp/0/m-main/proto': OTHER });
  });
});
