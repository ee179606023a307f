import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../shared/crypto/bytes';
import { NodeApi, type NodeEnvelope, type TopicQuery } from './node-api';
import type { Followed, IdentityKeys, InviteMark, Messenger, MessagingNetwork, NetworkEvents } from './port';
import { connectXmtpIdentity, contactTopicOf, inviteTopicOf, xmtpCanMessage, type XmtpIdentity } from './xmtp-identity';

/**
 * The messaging network over XMTP V2 for many identities at once (port.ts `MessagingNetwork`):
 * - ONE subscription (node-api.ts) for every identity's invitation topic and every conversation topic,
 *   replaced by a new one (opened before the old one is dropped) when a conversation is added;
 * - catch-up as batched queries: one request for up to 50 topics, whatever the number of identities;
 * - xmtp-js clients (xmtp-identity.ts) only for identities that have something to decrypt or send,
 *   kept in a bounded LRU cache: start-up and memory do not grow with relationships. A message already
 *   stored is recognised by its id (SHA-256 of its envelope, as xmtp-js computes it) before any client
 *   is made for it.
 */
export interface BundleStore {
  load(address: string): Promise<Uint8Array | undefined>;
  save(address: string, bundle: Uint8Array): Promise<void>;
}

export interface XmtpNetworkOptions {
  url: string;
  bundles: BundleStore;
  /** Most identities whose xmtp-js client stays in memory (least recently used ones are dropped). */
  maxLiveIdentities?: number;
  /** Something on a topic could not be decrypted (it is skipped; the caller may log it). */
  onSkipped?: (error: unknown) => void;
  fetcher?: typeof fetch;
}

/** A subscribe request carries at most this many topics (the relay's bound); more means more streams. */
const TOPICS_PER_STREAM = 1000;
export const DEFAULT_LIVE_IDENTITIES = 10;

const nsOf = (ms: number) => `${BigInt(Math.max(0, Math.floor(ms))) * 1_000_000n}`;
const msOf = (ns: string) => Number(BigInt(ns) / 1_000_000n);
const envelopeId = (e: NodeEnvelope) => toHex(sha256(e.message));

interface Owner {
  keys: IdentityKeys;
  invite: boolean;
}

export function xmtpNetwork(opts: XmtpNetworkOptions): MessagingNetwork & { liveIdentities(): number } {
  return new XmtpNetwork(opts);
}

class XmtpNetwork implements MessagingNetwork {
  private readonly node: NodeApi;
  private readonly max: number;
  /** Which of our identities each followed topic belongs to. */
  private readonly owners = new Map<string, Owner>();
  private readonly clients = new Map<string, Promise<XmtpIdentity>>();
  private streams: Array<{ stop(): void }> = [];
  private following?: { events: NetworkEvents; onLost: () => void };
  private subscribedTopics = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private renewing: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: XmtpNetworkOptions) {
    this.node = new NodeApi(opts.url, opts.fetcher);
    this.max = Math.max(1, opts.maxLiveIdentities ?? DEFAULT_LIVE_IDENTITIES);
  }

  liveIdentities(): number {
    return this.clients.size;
  }

  canMessage(peer: string): Promise<boolean> {
    return xmtpCanMessage(this.opts.url, peer);
  }

  registered(addresses: string[]): Promise<boolean[]> {
    return this.node.nonEmpty(addresses.map(contactTopicOf));
  }

  async messenger(keys: IdentityKeys): Promise<Messenger> {
    const client = await this.client(keys);
    if (this.adopt(keys, client.inviteTopic, true)) await this.resubscribe();
    return {
      address: client.address,
      open: async (peer) => {
        const c = await (await this.client(keys)).open(peer);
        if (this.adopt(keys, c.id, false)) await this.resubscribe();
        return c;
      },
      prepare: async (c, content) => (await this.client(keys)).prepare(c, content),
      publish: async (wire) => (await this.client(keys)).publish(wire),
      send: async (c, content) => (await this.client(keys)).send(c, content),
    };
  }

  async catchUp(followed: Followed[], events: NetworkEvents): Promise<void> {
    const marks = new Map<string, InviteMark | undefined>();
    const queries: TopicQuery[] = [];
    for (const f of followed) {
      const topic = inviteTopicOf(f.identity.address);
      this.adopt(f.identity, topic, true);
      marks.set(topic, f.invites);
      queries.push({ topic, startNs: f.invites?.ns });
      for (const c of f.conversations) {
        this.adopt(f.identity, c.id, false);
        queries.push({ topic: c.id, startNs: c.since === undefined ? undefined : nsOf(c.since) });
      }
    }
    const invites = new Map<string, NodeEnvelope[]>();
    await this.node.batchQuery(queries, async (q, envelopes) => {
      if (this.owners.get(q.topic)?.invite) invites.set(q.topic, [...(invites.get(q.topic) ?? []), ...envelopes]);
      else for (const e of envelopes) await this.serially(() => this.message(e, events));
    });
    // Conversations found in new invitations: their messages so far, in one more batched read.
    const found: TopicQuery[] = [];
    for (const [topic, envelopes] of invites) {
      found.push(...(await this.serially(() => this.invitations(topic, envelopes, marks.get(topic), events))));
    }
    await this.resubscribe();
    if (found.length) {
      await this.node.batchQuery(found, async (_q, envelopes) => {
        for (const e of envelopes) await this.serially(() => this.message(e, events));
      });
    }
  }

  async follow(followed: Followed[], events: NetworkEvents, onLost: () => void): Promise<void> {
    for (const f of followed) {
      this.adopt(f.identity, inviteTopicOf(f.identity.address), true);
      for (const c of f.conversations) this.adopt(f.identity, c.id, false);
    }
    this.following = { events, onLost };
    this.subscribedTopics = -1; // force a new subscription
    await this.resubscribe();
  }

  async close(): Promise<void> {
    this.following = undefined;
    for (const s of this.streams) s.stop();
    this.streams = [];
    this.clients.clear();
  }

  /** Registers a topic of ours; true when it is new (the subscription must be renewed). */
  private adopt(keys: IdentityKeys, topic: string, invite: boolean): boolean {
    if (this.owners.has(topic)) return false;
    this.owners.set(topic, { keys, invite });
    return true;
  }

  /**
   * Subscribes again when topics were added since the last subscription. The new streams are live
   * before the old ones stop, so nothing falls in between (a message seen twice is known by its id).
   */
  private resubscribe(): Promise<void> {
    // One at a time: a caller returns only once a subscription covering its topics is live.
    const run = this.renewing.then(() => this.renew());
    this.renewing = run.catch(() => undefined);
    return run;
  }

  private async renew(): Promise<void> {
    const following = this.following;
    if (!following || this.owners.size === this.subscribedTopics) return;
    this.subscribedTopics = this.owners.size;
    const topics = [...this.owners.keys()];
    let lost = false;
    // Streams replaced or closed were stopped by us and never report; a second drop is the same loss.
    const onLost = () => {
      if (lost || this.following !== following) return;
      lost = true;
      following.onLost();
    };
    const next: Array<{ ready: Promise<void>; stop(): void }> = [];
    for (let i = 0; i < topics.length; i += TOPICS_PER_STREAM) {
      next.push(this.node.subscribe(topics.slice(i, i + TOPICS_PER_STREAM), (e) => void this.serially(() => this.live(e, following.events)), onLost));
    }
    try {
      await Promise.all(next.map((s) => s.ready));
    } catch (error) {
      for (const s of next) s.stop();
      this.subscribedTopics = -1;
      throw error;
    }
    const old = this.streams;
    this.streams = next;
    for (const s of old) s.stop();
  }

  /** One envelope from the live stream. */
  private async live(e: NodeEnvelope, events: NetworkEvents): Promise<void> {
    const owner = this.owners.get(e.topic);
    if (!owner) return;
    if (!owner.invite) return this.message(e, events);
    // A new invitation: the conversation's messages so far come with it (they may predate our stream).
    const found = await this.invitations(e.topic, [e], undefined, events);
    if (!found.length) return;
    // Subscribed first, then read: whatever is sent in between is in one or the other (or both: known by id).
    await this.resubscribe();
    await this.node.batchQuery(found, async (_q, envelopes) => {
      for (const m of envelopes) await this.message(m, events);
    });
  }

  private async message(e: NodeEnvelope, events: NetworkEvents): Promise<void> {
    const owner = this.owners.get(e.topic);
    if (!owner || owner.invite || (await events.known(envelopeId(e)))) return;
    let decoded;
    try {
      decoded = await (await this.client(owner.keys)).decode(e);
    } catch (error) {
      // Not a message for us (garbage on a topic anyone may write, or a format we cannot read).
      return this.opts.onSkipped?.(error);
    }
    await events.message(owner.keys.address, decoded);
  }

  /**
   * Invitation envelopes on one identity's topic: the ones not handled before (by the mark) make its
   * client read its invitations; conversations new to us are reported and returned for a first read.
   */
  private async invitations(topic: string, envelopes: NodeEnvelope[], mark: InviteMark | undefined, events: NetworkEvents): Promise<TopicQuery[]> {
    const owner = this.owners.get(topic)!;
    const fresh = envelopes.filter((e) => !(mark && e.timestampNs === mark.ns && mark.ids.includes(envelopeId(e))));
    if (!fresh.length) return [];
    const earliest = fresh.reduce((a, e) => (BigInt(e.timestampNs) < BigInt(a) ? e.timestampNs : a), fresh[0]!.timestampNs);
    const client = await this.client(owner.keys);
    const found: TopicQuery[] = [];
    for (const c of await client.learnInvites(msOf(earliest))) {
      if (!this.adopt(owner.keys, c.id, false)) continue;
      const since = await events.conversation(owner.keys.address, c);
      found.push({ topic: c.id, startNs: since === undefined ? undefined : nsOf(since) });
    }
    await events.invites(owner.keys.address, nextMark(mark, envelopes));
    return found;
  }

  /** The identity's client: from the LRU cache, or made (from its sealed bundle when there is one). */
  private client(keys: IdentityKeys): Promise<XmtpIdentity> {
    const cached = this.clients.get(keys.address);
    if (cached) {
      this.clients.delete(keys.address);
      this.clients.set(keys.address, cached);
      return cached;
    }
    const made = (async () => {
      const bundle = await this.opts.bundles.load(keys.address).catch(() => undefined);
      return connectXmtpIdentity({ apiUrl: this.opts.url, privateKey: keys.privateKey, bundle, onBundle: (b) => this.opts.bundles.save(keys.address, b) });
    })();
    this.clients.set(keys.address, made);
    made.catch(() => this.clients.get(keys.address) === made && this.clients.delete(keys.address));
    while (this.clients.size > this.max) this.clients.delete(this.clients.keys().next().value!);
    return made;
  }

  /** Stream envelopes and catch-up pages are handled one at a time, in arrival order. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The newest invitation time read, and the ids of the envelopes at exactly that time. */
function nextMark(mark: InviteMark | undefined, envelopes: NodeEnvelope[]): InviteMark {
  let ns = mark?.ns ?? '0';
  let ids = mark?.ids ?? [];
  for (const e of envelopes) {
    if (BigInt(e.timestampNs) > BigInt(ns)) {
      ns = e.timestampNs;
      ids = [];
    }
    if (e.timestampNs === ns && !ids.includes(envelopeId(e))) ids = [...ids, envelopeId(e)];
  }
  return { ns, ids };
}
