import { createHash } from 'node:crypto';
import type { MessageContent } from '../../../shared/messaging/content';
import type { Followed, IdentityKeys, Messenger, MessagingNetwork, NetworkEvents, PortConversation, PortMessage, PreparedMessage } from '../../../extension/messaging/port';

/**
 * An in-memory messaging node for the service's unit tests (no XMTP). `peer(address)` is a test actor
 * (a doctor, a stranger) writing directly; `network()` is what the extension gets through the port: one
 * live "subscription" per network and catch-up from marks, like the real one. Like the relay, a
 * republished wire is stored once. Conversation ids are the two members' addresses, sorted.
 */
interface StoredConversation {
  id: string;
  members: [string, string];
  createdAt: number;
}

export class FakeNetwork {
  readonly messages: PortMessage[] = [];
  readonly conversations: StoredConversation[] = [];
  readonly registeredAddresses = new Set<string>();
  down = false;
  /** False: live delivery is paused (a stream that is down without anyone noticing yet). */
  live = true;
  private listeners = new Set<(m: PortMessage) => void>();
  private counter = 0;

  /** A test actor with its own address (registers it on the node). */
  messenger(address: string): FakePeer {
    this.registeredAddresses.add(address.toLowerCase());
    return new FakePeer(this, address.toLowerCase());
  }

  private readonly networks: FakeMessagingNetwork[] = [];

  network(): FakeMessagingNetwork {
    const n = new FakeMessagingNetwork(this);
    this.networks.push(n);
    return n;
  }

  /** Resolves once every live delivery so far has been handled (ingested) by every network. */
  async idle(): Promise<void> {
    for (const n of this.networks) await n.idle();
  }

  check(): void {
    if (this.down) throw new Error('network down');
  }

  openConversation(a: string, b: string): StoredConversation {
    const id = [a, b.toLowerCase()].sort().join('/');
    let c = this.conversations.find((x) => x.id === id);
    if (!c) this.conversations.push((c = { id, members: [a, b.toLowerCase()].sort() as [string, string], createdAt: Date.now() }));
    return c;
  }

  deliver(m: PortMessage): void {
    if (this.messages.some((x) => x.id === m.id)) return;
    this.messages.push(m);
    if (this.live) for (const l of this.listeners) l(m);
  }

  listen(listener: (m: PortMessage) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  nextId(): string {
    return (++this.counter).toString(16).padStart(64, '0');
  }
}

const inviteId = (conversationId: string) => createHash('sha256').update(conversationId).digest('hex');
const peerOf = (conversationId: string, me: string) => conversationId.split('/').find((a) => a !== me) ?? me;
const view = (m: PortMessage, me: string): PortMessage => ({ ...m, peer: peerOf(m.conversationId, me) });
const portConversation = (c: StoredConversation, me: string): PortConversation => ({ id: c.id, peer: peerOf(c.id, me), createdAt: c.createdAt });

/** One address writing on the fake node (also what the extension's network hands out per identity). */
export class FakePeer implements Messenger {
  constructor(private readonly net: FakeNetwork, readonly address: string) {}

  async conversations(): Promise<PortConversation[]> {
    this.net.check();
    return this.net.conversations.filter((c) => c.members.includes(this.address)).map((c) => portConversation(c, this.address));
  }

  async open(peer: string): Promise<PortConversation> {
    this.net.check();
    return portConversation(this.net.openConversation(this.address, peer), this.address);
  }

  async prepare(c: PortConversation, content: MessageContent): Promise<PreparedMessage> {
    const m: PortMessage = { id: this.net.nextId(), conversationId: c.id, peer: '', sender: this.address, sentAt: Date.now(), content };
    return { id: m.id, sentAt: m.sentAt, wire: JSON.stringify(m) };
  }

  async publish(wire: string): Promise<void> {
    this.net.check();
    this.net.deliver(JSON.parse(wire) as PortMessage);
  }

  async send(c: PortConversation, content: MessageContent): Promise<PortMessage> {
    const p = await this.prepare(c, content);
    await this.publish(p.wire);
    return { ...(JSON.parse(p.wire) as PortMessage), peer: c.peer };
  }

  /** Everything in a conversation, as this address sees it. */
  async list(c: PortConversation): Promise<PortMessage[]> {
    this.net.check();
    return this.net.messages.filter((m) => m.conversationId === c.id).map((m) => view(m, this.address));
  }
}

/** The port the extension gets: one live listener for all its identities, marks for catch-up. */
export class FakeMessagingNetwork implements MessagingNetwork {
  /** Our identities and the conversations this network instance already reported or was told of. */
  readonly identities = new Set<string>();
  private readonly known = new Set<string>();
  private stop?: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  messengersMade = 0;

  constructor(private readonly net: FakeNetwork) {}

  async canMessage(peer: string): Promise<boolean> {
    this.net.check();
    return this.net.registeredAddresses.has(peer.toLowerCase());
  }

  async registered(addresses: string[]): Promise<boolean[]> {
    this.net.check();
    return addresses.map((a) => this.net.registeredAddresses.has(a.toLowerCase()));
  }

  /** Like a cached client: needs no network until it writes. */
  async messenger(identity: IdentityKeys): Promise<Messenger> {
    this.messengersMade++;
    this.identities.add(identity.address);
    this.net.registeredAddresses.add(identity.address);
    const peer = this.net.messenger(identity.address);
    return {
      address: identity.address,
      open: async (to) => {
        const c = await peer.open(to);
        this.known.add(c.id);
        return c;
      },
      prepare: (c, content) => peer.prepare(c, content),
      publish: (wire) => peer.publish(wire),
      send: (c, content) => peer.send(c, content),
    };
  }

  async catchUp(followed: Followed[], events: NetworkEvents): Promise<void> {
    this.net.check();
    this.adopt(followed);
    for (const f of followed) {
      const me = f.identity.address;
      const after = f.invites ? BigInt(f.invites.ns) : -1n;
      const invited = this.net.conversations.filter((c) => c.members.includes(me) && BigInt(c.createdAt) * 1_000_000n >= after && !f.invites?.ids.includes(inviteId(c.id)));
      for (const c of invited) await this.invited(c, me, events);
      if (invited.length) {
        const ns = `${BigInt(Math.max(...invited.map((c) => c.createdAt))) * 1_000_000n}`;
        await events.invites(me, { ns, ids: invited.filter((c) => `${BigInt(c.createdAt) * 1_000_000n}` === ns).map((c) => inviteId(c.id)) });
      }
      for (const c of f.conversations) await this.replay(c.id, me, c.since, events);
    }
  }

  async follow(followed: Followed[], events: NetworkEvents): Promise<void> {
    this.net.check();
    this.adopt(followed);
    this.stop?.();
    this.stop = this.net.listen((m) => {
      this.queue = this.queue.then(async () => {
        for (const me of this.identities) {
          if (!m.conversationId.split('/').includes(me)) continue;
          if (!this.known.has(m.conversationId)) await this.invited(this.net.conversations.find((c) => c.id === m.conversationId)!, me, events);
          else if (!(await events.known(m.id))) await events.message(me, view(m, me));
        }
      });
    });
  }

  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  async close(): Promise<void> {
    this.stop?.();
    this.stop = undefined;
  }

  private adopt(followed: Followed[]): void {
    for (const f of followed) {
      this.identities.add(f.identity.address);
      for (const c of f.conversations) this.known.add(c.id);
    }
  }

  private async invited(c: StoredConversation, me: string, events: NetworkEvents): Promise<void> {
    if (this.known.has(c.id)) return;
    this.known.add(c.id);
    const since = await events.conversation(me, portConversation(c, me));
    await this.replay(c.id, me, since, events);
  }

  private async replay(conversationId: string, me: string, since: number | undefined, events: NetworkEvents): Promise<void> {
    for (const m of this.net.messages.filter((x) => x.conversationId === conversationId && x.sentAt >= (since ?? 0))) {
      if (!(await events.known(m.id))) await events.message(me, view(m, me));
    }
  }
}

/**
 * Delete the messaging database and wait for it: a fire-and-forget delete can land after the next
 * test's first writes.
 */
export function deleteMessagingDb(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase('securemed-messaging');
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/**
 * Each test starts like a fresh worker: WXT's fake browser reset (messages to pages answered), no
 * messaging session, an empty messaging database, and `net` as the node the session connects to (the
 * network it hands out is passed to `onConnect`). The messaging modules are imported here, after the
 * test file's vi.mock calls, so they see the same mocks as the test.
 */
export async function freshMessagingWorker(net: FakeNetwork, onConnect?: (network: FakeMessagingNetwork) => void): Promise<void> {
  const { vi } = await import('vitest');
  const { fakeBrowser } = await import('wxt/testing');
  const { useConnector, endSession, onNetworkMessage } = await import('../../../extension/messaging/session');
  const { ingest } = await import('../../../extension/messaging/inbox');
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue(undefined);
  await endSession('locked');
  await deleteMessagingDb();
  useConnector(() => {
    const network = net.network();
    onConnect?.(network);
    return network;
  });
  onNetworkMessage((s, to, m) => ingest(s, to, m));
}
