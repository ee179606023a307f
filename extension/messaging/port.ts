import type { MessageContent, ReceivedContent } from '../../shared/messaging/content';

/**
 * The Messenger port: everything the rest of the extension knows about the messaging transport.
 * The XMTP V2 adapter (xmtp-adapter.ts) implements it today; a V3 adapter (@xmtp/browser-sdk in an
 * offscreen document) can replace it without touching the service, the history or the UI.
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

export interface Messenger {
  /** Our own address on the transport, lowercase. */
  readonly address: string;
  canMessage(peer: string): Promise<boolean>;
  /** Every conversation the network knows for us (including ones others started). */
  conversations(): Promise<PortConversation[]>;
  /** The conversation with `peer`, creating it (and inviting the peer) when there is none. */
  open(peer: string): Promise<PortConversation>;
  prepare(conversation: PortConversation, content: MessageContent): Promise<PreparedMessage>;
  /** Idempotent: publishing the same wire twice stores and delivers it once. Throws when unreachable. */
  publish(wire: string): Promise<void>;
  /** prepare + publish. */
  send(conversation: PortConversation, content: MessageContent): Promise<PortMessage>;
  /** Messages after `since` (ms, inclusive), oldest first, one page at a time. */
  list(conversation: PortConversation, opts: { since?: number; limit?: number }): AsyncIterable<PortMessage[]>;
  /**
   * Live messages from every conversation, new ones included. `onLost` is called when the connection
   * drops (the caller catches up and restarts the stream). Returns a function that stops the stream.
   */
  stream(onMessage: (message: PortMessage) => void, onLost?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
