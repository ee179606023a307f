// Publishing needs a genuine, fresh XMTP V2 auth token, and write-restricted topics belong to the
// wallet that owns them. Tokens here are made by xmtp-js's own LocalAuthenticator, then tampered with.
import { authn } from '@xmtp/proto';
import { keccak256 } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity, type XmtpIdentity } from '../../scripts/relay/identity';
import { post, startTestRelay, type TestRelay } from './helpers/relay';

let t: TestRelay;
let clock = Date.now();
let alice: XmtpIdentity;
let mallory: XmtpIdentity;

const env = (topic: string, body = 'AQID') => ({ contentTopic: topic, timestampNs: String(BigInt(Date.now()) * 1_000_000n), message: body });
const publish = (token: string, topic = '/xmtp/0/m-auth/proto') =>
  post(t.relay.url, '/message/v1/publish', { envelopes: [env(topic)] }, { Authorization: `Bearer ${token}` });

async function reSign(token: string, signer: XmtpIdentity, edit: (a: authn.AuthData) => void): Promise<string> {
  const tok = authn.Token.decode(Buffer.from(token, 'base64'));
  const data = authn.AuthData.decode(tok.authDataBytes);
  edit(data);
  tok.authDataBytes = authn.AuthData.encode(data).finish();
  const sig = await signer.identityKey.sign(Buffer.from(keccak256(tok.authDataBytes).slice(2), 'hex'));
  tok.authDataSignature = { ecdsaCompact: sig.ecdsaCompact, walletEcdsaCompact: undefined };
  return Buffer.from(authn.Token.encode(tok).finish()).toString('base64');
}

beforeAll(async () => {
  t = await startTestRelay({ now: () => clock });
  [alice, mallory] = await Promise.all([newIdentity(), newIdentity()]);
});
afterAll(async () => {
  await t?.stop();
});

describe('relay: auth tokens on publish', () => {
  it('accepts a token made by xmtp-js', async () => {
    expect((await publish(await alice.token())).status).toBe(200);
  });

  it('refuses forged tokens with 401 (gRPC 16) and stores nothing', async () => {
    const before = t.relay.envelopeCount();
    const genuine = await alice.token();
    const decoded = authn.Token.decode(Buffer.from(genuine, 'base64'));
    const flipped = authn.Token.decode(Buffer.from(genuine, 'base64'));
    flipped.identityKey!.signature!.ecdsaCompact!.bytes[5] ^= 1;

    const forgeries: [string, string, RegExp][] = [
      // Alice's signed identity key is public (her contact bundle); Mallory cannot sign auth data with it.
      ['auth data signed by another identity key', await reSign(genuine, mallory, () => {}), /not signed by the identity key/],
      // Mallory's own key, claiming Alice's wallet: the wallet signature on the key says Mallory.
      ['a token claiming another wallet', await reSign(await mallory.token(), mallory, (a) => (a.walletAddr = alice.address)), /wallet address does not match/],
      ['a tampered wallet signature on the identity key', Buffer.from(authn.Token.encode(flipped).finish()).toString('base64'), /does not match|does not verify|malformed/],
      ['a token without auth signature', Buffer.from(authn.Token.encode({ ...decoded, authDataSignature: undefined }).finish()).toString('base64'), /malformed/],
      ['bytes that are no token', Buffer.from('not a token at all').toString('base64'), /not an XMTP token|missing identity key/],
    ];
    for (const [what, token, reason] of forgeries) {
      const r = await publish(token);
      expect(r.status, what).toBe(401);
      expect(r.json, what).toMatchObject({ code: 16, message: expect.stringMatching(reason) });
    }
    expect(t.relay.envelopeCount()).toBe(before);
  });

  it('refuses a token older than an hour, and one dated in the future', async () => {
    const old = await alice.token(new Date(clock - 61 * 60 * 1000));
    expect((await publish(old)).json).toMatchObject({ code: 16, message: expect.stringMatching(/expired/) });
    const future = await alice.token(new Date(clock + 30 * 60 * 1000));
    expect((await publish(future)).json).toMatchObject({ code: 16, message: expect.stringMatching(/future/) });
    // A little clock skew is tolerated.
    expect((await publish(await alice.token(new Date(clock + 60 * 1000)))).status).toBe(200);
  });

  it('refuses a token that was accepted once it has expired (the verified-token cache rechecks its age)', async () => {
    const token = await alice.token(new Date(clock));
    expect((await publish(token)).status).toBe(200);
    clock += 61 * 60 * 1000;
    try {
      expect((await publish(token)).json).toMatchObject({ code: 16, message: expect.stringMatching(/expired/) });
    } finally {
      clock = Date.now();
    }
  });
});

describe('relay: write-restricted topics', () => {
  const contact = (who: XmtpIdentity) => `/xmtp/0/contact-${who.address}/proto`;
  const store = (who: XmtpIdentity) => `/xmtp/0/privatestore-${who.address}/key_bundle/proto`;
  const invite = (who: XmtpIdentity) => `/xmtp/0/invite-${who.address}/proto`;

  it("lets only the owner publish to contact- and privatestore- topics (403, gRPC 7, otherwise)", async () => {
    const token = await mallory.token();
    for (const topic of [contact(alice), store(alice), contact(alice).toLowerCase()]) {
      const r = await publish(token, topic);
      expect(r.status, topic).toBe(403);
      expect(r.json).toMatchObject({ code: 7, message: expect.stringMatching(/only its owner/) });
    }
    expect((await publish(token, contact(mallory))).status).toBe(200);
    expect((await publish(token, store(mallory))).status).toBe(200);
  });

  it("lets anyone authenticated publish to someone's invite topic (that is how conversations start)", async () => {
    expect((await publish(await mallory.token(), invite(alice))).status).toBe(200);
  });

  it('refuses the whole publish if one envelope targets a topic it may not write', async () => {
    const before = t.relay.envelopeCount();
    const r = await post(t.relay.url, '/message/v1/publish', { envelopes: [env('/xmtp/0/m-ok/proto', 'BBBB'), env(contact(alice))] }, { Authorization: `Bearer ${await mallory.token()}` });
    expect(r.status).toBe(403);
    expect(t.relay.envelopeCount()).toBe(before);
  });
});

describe("relay: private reads ('owner' mode)", () => {
  it("serves invite- and privatestore- topics only with the owner's token", async () => {
    const strict = await startTestRelay({ privateReads: 'owner' });
    try {
      const topics = [`/xmtp/0/privatestore-${alice.address}/key_bundle/proto`, `/xmtp/0/invite-${alice.address}/proto`];
      for (const topic of topics) {
        const body = { contentTopics: [topic, '/xmtp/0/m-public/proto'] };
        expect((await post(strict.relay.url, '/message/v1/query', body)).status).toBe(403);
        expect((await post(strict.relay.url, '/message/v1/query', body, { Authorization: `Bearer ${await mallory.token()}` })).status).toBe(403);
        expect((await post(strict.relay.url, '/message/v1/batch-query', { requests: [body] })).status).toBe(403);
        expect((await post(strict.relay.url, '/message/v1/subscribe', body)).status).toBe(403);
        expect((await post(strict.relay.url, '/message/v1/query', body, { Authorization: `Bearer ${await alice.token()}` })).status).toBe(200);
      }
      expect(strict.relay.streamCount()).toBe(0);
      // Conversation topics stay readable by anyone (their envelopes are end-to-end encrypted).
      expect((await post(strict.relay.url, '/message/v1/query', { contentTopics: ['/xmtp/0/m-public/proto'] })).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });
});
