// The globals shim must be evaluated before xmtp-js: keep it the first import of this module.
import './xmtp-globals';
import { Client, InMemoryPersistence, PrivateKeyBundleV1, type Conversation, type DecodedMessage, type KeystoreInterface } from '@xmtp/xmtp-js';
import { ContentTypeText } from '@xmtp/content-type-text';
import { Wallet } from 'ethers';
import { fromBase64, toBase64, toHex } from '../../shared/crypto/bytes';
import { toChecksumAddress } from '../../shared/crypto/identity';
import { MessageContent, type ReceivedContent } from '../../shared/messaging/content';
import type { NodeEnvelope } from './node-api';
import type { Messenger, PortConversation, PortMessage, PreparedMessage } from './port';
import { ContentTypeStructured, StructuredCodec } from './structured-codec';

/**
 * One messaging identity as an @xmtp/xmtp-js 13 (XMTP V2) client pointed at the configured node
 * (`apiUrl`). It only writes (open, prepare, publish) and decrypts what xmtp-network.ts hands it: it
 * never opens a stream or polls of its own, so a hundred identities still mean one connection.
 * - Keys: the XMTP key bundle is created once from the identity's account (first use on any device: the
 *   bundle also goes to the node's private store, encrypted under the account's signature, which is how
 *   a restore from the phrase gets the same keys back) and handed to the caller to keep sealed; later
 *   starts pass it in (`privateKeyOverride`): no signature, no key round trip.
 * - Nothing is persisted by xmtp-js itself: in-memory persistence, no conversation cache (a service
 *   worker has no localStorage, and plaintext must not land anywhere we do not encrypt).
 */
type XmtpClient = Awaited<ReturnType<typeof Client.create>>;
type XmtpEnvelope = Parameters<Conversation['decodeMessage']>[0];

export interface XmtpConnectOptions {
  apiUrl: string;
  /** The identity account's private key (only used when there is no bundle yet). */
  privateKey: Uint8Array;
  /** A bundle from an earlier connect (`onBundle`), if any. */
  bundle?: Uint8Array;
  /** Called with a new bundle to keep (first connect on this device). */
  onBundle(bundle: Uint8Array): Promise<void>;
}

export async function connectXmtpIdentity(opts: XmtpConnectOptions): Promise<XmtpIdentity> {
  const base = {
    env: 'local' as const,
    apiUrl: opts.apiUrl.replace(/\/+$/, ''),
    persistConversations: false,
    basePersistence: InMemoryPersistence.create(),
    codecs: [new StructuredCodec()],
    appVersion: 'securemed/0.1',
  };
  let client: XmtpClient;
  if (opts.bundle) {
    // Still checks that the contact bundle is on this node (one query): the node URL may have changed.
    client = await Client.create(null, { ...base, privateKeyOverride: opts.bundle });
  } else {
    // First start on this device: create (or fetch from the node's private store) the XMTP identity,
    // signed by the account; then export the bundle for the caller to seal.
    client = await Client.create(new Wallet(`0x${toHex(opts.privateKey)}`), base);
    await opts.onBundle(new PrivateKeyBundleV1(await (client.keystore as KeystoreInterface).getPrivateKeyBundle()).encode());
  }
  return new XmtpIdentity(client);
}

interface Wire {
  t: string; // content topic
  ts: number; // ms: xmtp-js publishes with millisecond timestamps
  m: string; // base64 message bytes
}

export class XmtpIdentity implements Messenger {
  readonly address: string;
  readonly inviteTopic: string;
  private readonly byTopic = new Map<string, Conversation>();
  private listed = false;

  constructor(private readonly client: XmtpClient) {
    this.address = client.address.toLowerCase();
    this.inviteTopic = inviteTopicOf(client.address);
  }

  canMessage(peer: string): Promise<boolean> {
    return this.client.canMessage(peer);
  }

  /** Every conversation the node knows for this identity (reads its invitations on first use). */
  async conversations(): Promise<PortConversation[]> {
    if (!this.listed) {
      for (const c of await this.client.conversations.list()) this.byTopic.set(c.topic, c);
      this.listed = true;
    }
    return [...this.byTopic.values()].map(toPort);
  }

  /** Invitations at or after `since` (ms): the conversations among them that are new here. */
  async learnInvites(since: number): Promise<PortConversation[]> {
    if (!this.listed) {
      const before = new Set(this.byTopic.keys());
      return (await this.conversations()).filter((c) => !before.has(c.id));
    }
    const found = await this.client.conversations.updateV2Conversations(new Date(since));
    const fresh = found.filter((c) => !this.byTopic.has(c.topic));
    for (const c of fresh) this.byTopic.set(c.topic, c);
    return fresh.map(toPort);
  }

  async open(peer: string): Promise<PortConversation> {
    const c = await this.client.conversations.newConversation(peer);
    this.byTopic.set(c.topic, c);
    return toPort(c);
  }

  async prepare(conversation: PortConversation, content: MessageContent): Promise<PreparedMessage> {
    const c = await this.conversation(conversation.id);
    const prepared =
      content.type === 'text'
        ? await c.prepareMessage(content.text)
        : await c.prepareMessage(content.value, { contentType: ContentTypeStructured });
    const env = prepared.messageEnvelope;
    const sentAt = Number(BigInt(env.timestampNs!) / 1_000_000n);
    const wire: Wire = { t: env.contentTopic!, ts: sentAt, m: toBase64(env.message!) };
    return { id: await prepared.messageID(), sentAt, wire: JSON.stringify(wire) };
  }

  async publish(wire: string): Promise<void> {
    const w = JSON.parse(wire) as Wire;
    // Same topic, timestamp and bytes as the first attempt: the node stores it once, receivers dedupe by id.
    await this.client.publishEnvelopes([{ contentTopic: w.t, message: fromBase64(w.m), timestamp: new Date(w.ts) }]);
  }

  async send(conversation: PortConversation, content: MessageContent): Promise<PortMessage> {
    const prepared = await this.prepare(conversation, content);
    await this.publish(prepared.wire);
    return { id: prepared.id, conversationId: conversation.id, peer: conversation.peer, sender: this.address, sentAt: prepared.sentAt, content };
  }

  /** Decrypt a message envelope from one of this identity's conversations. */
  async decode(envelope: NodeEnvelope): Promise<PortMessage> {
    const c = await this.conversation(envelope.topic);
    const env: XmtpEnvelope = { contentTopic: envelope.topic, timestampNs: envelope.timestampNs, message: envelope.message };
    return toPortMessage(await c.decodeMessage(env));
  }

  private async conversation(topic: string): Promise<Conversation> {
    const known = this.byTopic.get(topic);
    if (known) return known;
    await this.conversations();
    const found = this.byTopic.get(topic) ?? (await this.learnInvites(0), this.byTopic.get(topic));
    if (!found) throw new Error('This conversation is not available on the messaging node.');
    return found;
  }
}

/** Whether `peer` published a valid contact bundle on the node (no client of ours needed). */
export function xmtpCanMessage(apiUrl: string, peer: string): Promise<boolean> {
  return Client.canMessage(peer, { env: 'local', apiUrl: apiUrl.replace(/\/+$/, '') });
}

/** XMTP V2's invitation topic for an address (as xmtp-js builds it: EIP-55 spelling). */
export function inviteTopicOf(address: string): string {
  return `/xmtp/0/invite-${toChecksumAddress(address)}/proto`;
}

/** XMTP V2's contact (public key bundle) topic: present once the address has set up messaging. */
export function contactTopicOf(address: string): string {
  return `/xmtp/0/contact-${toChecksumAddress(address)}/proto`;
}

function toPort(c: Conversation): PortConversation {
  return { id: c.topic, peer: c.peerAddress.toLowerCase(), createdAt: c.createdAt.getTime() };
}

function toPortMessage(m: DecodedMessage): PortMessage {
  return {
    id: m.id,
    conversationId: m.contentTopic,
    peer: m.conversation.peerAddress.toLowerCase(),
    sender: m.senderAddress.toLowerCase(),
    sentAt: m.sent.getTime(),
    content: contentOf(m),
  };
}

/** Network content is parsed by the same schema as UI content; anything else is "unsupported". */
function contentOf(m: DecodedMessage): ReceivedContent {
  if (m.error) return { type: 'unsupported', fallback: m.contentFallback };
  if (m.contentType.sameAs(ContentTypeText) && typeof m.content === 'string') {
    const parsed = MessageContent.safeParse({ type: 'text', text: m.content });
    if (parsed.success) return parsed.data;
  }
  if (m.contentType.sameAs(ContentTypeStructured)) {
    const parsed = MessageContent.safeParse({ type: 'structured', value: m.content });
    if (parsed.success) return parsed.data;
  }
  return { type: 'unsupported', fallback: m.contentFallback };
}
