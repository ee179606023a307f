// The globals shim must be evaluated before xmtp-js: keep it the first import of this module.
import './xmtp-globals';
import { Client, InMemoryPersistence, PrivateKeyBundleV1, SortDirection, type Conversation, type DecodedMessage, type KeystoreInterface } from '@xmtp/xmtp-js';
import { ContentTypeText } from '@xmtp/content-type-text';
import { Wallet } from 'ethers';
import { fromBase64, toBase64, toHex } from '../../shared/crypto/bytes';
import { MessageContent, type ReceivedContent } from '../../shared/messaging/content';
import type { Messenger, PortConversation, PortMessage, PreparedMessage } from './port';
import { ContentTypeStructured, StructuredCodec } from './structured-codec';

/**
 * Messenger adapter over @xmtp/xmtp-js 13 (XMTP V2) pointed at the configured node (`apiUrl`).
 * - Identity: the vault's messaging account. The XMTP key bundle is created once from it and handed back
 *   to the caller to keep (sealed); later starts pass it in (`privateKeyOverride`), so no signature and
 *   no network round trip for keys.
 * - Nothing is persisted by xmtp-js itself: in-memory persistence, no conversation cache (a service
 *   worker has no localStorage, and plaintext must not land anywhere we do not encrypt).
 */
type XmtpClient = Awaited<ReturnType<typeof Client.create>>;

export interface XmtpConnectOptions {
  apiUrl: string;
  /** The messaging account's private key (only used when there is no bundle yet). */
  privateKey: Uint8Array;
  /** A bundle from an earlier `connectXmtp` (`onBundle`), if any. */
  bundle?: Uint8Array;
  /** Called with a new bundle to keep (first connect on this device). */
  onBundle(bundle: Uint8Array): Promise<void>;
}

export async function connectXmtp(opts: XmtpConnectOptions): Promise<Messenger> {
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
    client = await Client.create(null, { ...base, privateKeyOverride: opts.bundle });
  } else {
    // First start on this device: create (or fetch from the node's private store) the XMTP identity,
    // signed by the messaging account; then export the bundle for the caller to seal.
    client = await Client.create(new Wallet(`0x${toHex(opts.privateKey)}`), base);
    await opts.onBundle(new PrivateKeyBundleV1(await (client.keystore as KeystoreInterface).getPrivateKeyBundle()).encode());
  }
  return new XmtpMessenger(client);
}

interface Wire {
  t: string; // content topic
  ts: number; // ms: xmtp-js publishes with millisecond timestamps
  m: string; // base64 message bytes
}

class XmtpMessenger implements Messenger {
  readonly address: string;
  private readonly byTopic = new Map<string, Conversation>();

  constructor(private readonly client: XmtpClient) {
    this.address = client.address.toLowerCase();
  }

  canMessage(peer: string): Promise<boolean> {
    return this.client.canMessage(peer);
  }

  async conversations(): Promise<PortConversation[]> {
    const list = await this.client.conversations.list();
    for (const c of list) this.byTopic.set(c.topic, c);
    return list.map(toPort);
  }

  async open(peer: string): Promise<PortConversation> {
    const c = await this.client.conversations.newConversation(peer);
    this.byTopic.set(c.topic, c);
    return toPort(c);
  }

  async prepare(conversation: PortConversation, content: MessageContent): Promise<PreparedMessage> {
    const c = await this.conversation(conversation);
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

  async *list(conversation: PortConversation, opts: { since?: number; limit?: number }): AsyncIterable<PortMessage[]> {
    const c = await this.conversation(conversation);
    const pages = c.messagesPaginated({
      startTime: opts.since ? new Date(opts.since) : undefined,
      pageSize: opts.limit ?? 100,
      direction: SortDirection.SORT_DIRECTION_ASCENDING,
    });
    for await (const page of pages) yield page.map((m) => toPortMessage(m));
  }

  async stream(onMessage: (message: PortMessage) => void, onLost?: () => void): Promise<() => Promise<void>> {
    const stream = await this.client.conversations.streamAllMessages(onLost);
    void (async () => {
      for await (const m of stream) {
        this.byTopic.set(m.contentTopic, m.conversation);
        onMessage(toPortMessage(m));
      }
    })().catch(() => undefined); // ends when stopped; the caller's catch-up covers any gap
    return async () => void (await stream.return(undefined));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async conversation(ref: PortConversation): Promise<Conversation> {
    const known = this.byTopic.get(ref.id);
    if (known) return known;
    await this.conversations();
    const found = this.byTopic.get(ref.id);
    if (!found) throw new Error('This conversation is not available on the messaging node.');
    return found;
  }
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
