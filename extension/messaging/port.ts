import type { MessageContent, ReceivedContent } from '../../shared/messaging/content';

/**
 * The messaging port: everything the rest of the extension knows about the transport. The XMTP V2
 * adapter (xmtp-network.ts over xmtp-identity.ts) implements it today; a V3 adapter can replace it
 * without touching the service, the history or the UI.
 *
 * Two levels, because the patient speaks from many identities (one per counterparty, README.md):
 * - `MessagingNetwork`: the node, shared by all identities: ONE live subscription and batched reads for
 *   all of them, identities' keys loaded only when one of them has something to do;
 * - `Messenger`: one identity's writes: open a conversation, prepare, publish.
 *
 * Sending is split in two on purpose: `prepare` encrypts and signs locally and returns replayable wire
 * bytes with the message id fixed in advance; `publish` puts exactly those bytes on the network. So a
 * retry after a failure (or after a worker restart) re-publishes the same envelope, which the node and
 * the receiver de-duplicate: a retry can never produce a second copy.
 */
export interface PortConversation {
  /** Transport id of the conversation (an XMTP topic). */
  id: string;
  /** Counterparty address, lowercase. */
  peer: string;
  createdAt: number;
}

export interface PortMessage {
  /** Content-derived id: the same message always has the same id, on both sides. */
  id: string;
  conversationId: string;
  peer: string;
  /** Sender address, lowercase. */
  sender: string;
  /** Sender's timestamp, ms. */
  sentAt: number;
  content: ReceivedContent;
}

export interface PreparedMessage {
  id: string;
  sentAt: number;
  /** Opaque, already end-to-end encrypted bytes that `publish` sends (stored sealed for retries). */
  wire: string;
}

/** One of our identities on the transport. */
export interface IdentityKeys {
  /** Lowercase address. */
  address: string;
  /** Its secp256k1 account key (derived from the seed; used once per device to make transport keys). */
  privateKey: Uint8Array;
}

/** One identity's writes. */
export interface Messenger {
  /** Our own address on the transport, lowercase. */
  readonly address: string;
  /** The conversation with `peer`, creating it (and inviting the peer) when there is none. */
  open(peer: string): Promise<PortConversation>;
  prepare(conversation: PortConversation, content: MessageContent): Promise<PreparedMessage>;
  /** Idempotent: publishing the same wire twice stores and delivers it once. Throws when unreachable. */
  publish(wire: string): Promise<void>;
  /** prepare + publish. */
  send(conversation: PortConversation, content: MessageContent): Promise<PortMessage>;
}

/** Where an identity's invitations were read up to: their newest time and which envelopes carried it. */
export interface InviteMark {
  /** Nanoseconds, decimal. */
  ns: string;
  /** Ids of the envelopes already handled at exactly `ns` (the next read starts at `ns` inclusive). */
  ids: string[];
}

/** What to follow for one identity: new invitations, and its conversations after their marks. */
export interface Followed {
  identity: IdentityKeys;
  invites?: InviteMark;
  conversations: Array<{ id: string; since?: number }>;
}

/** What the network reports while catching up or streaming; it waits for each call. */
export interface NetworkEvents {
  /** Is this message already stored as delivered? Then the network does not even decrypt it. */
  known(id: string): Promise<boolean>;
  /** A message for identity `me` (ours echoed back included). */
  message(me: string, m: PortMessage): Promise<void>;
  /** A conversation `me` had not followed yet (someone invited us). Returns its catch-up mark, if any. */
  conversation(me: string, c: PortConversation): Promise<number | undefined>;
  /** `me`'s invitations were read up to `mark`. */
  invites(me: string, mark: InviteMark): Promise<void>;
}

export interface MessagingNetwork {
  /** Can `peer` receive messages on this node? */
  canMessage(peer: string): Promise<boolean>;
  /** Which of these addresses have ever set up messaging on the node (one batched read). */
  registered(addresses: string[]): Promise<boolean[]>;
  /**
   * The identity's writer. Its transport keys are made on the first use on this device (for a new
   * identity that publishes it on the node) and kept in a bounded cache; its topics join the live
   * subscription.
   */
  messenger(identity: IdentityKeys): Promise<Messenger>;
  /** Everything new for every followed identity: one batched read (a second for newly found conversations). */
  catchUp(followed: Followed[], events: NetworkEvents): Promise<void>;
  /**
   * One live subscription for every followed identity's topics (conversations found later join it).
   * Resolves once the node accepted it. `onLost` is called when it drops; call `follow` again then.
   */
  follow(followed: Followed[], events: NetworkEvents, onLost: () => void): Promise<void>;
  close(): Promise<void>;
}
