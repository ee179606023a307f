import Dexie, { type Table } from 'dexie';
import type { ReceivedContent } from '../../shared/messaging/content';
import type { Consent, Delivery } from '../../shared/protocol/ui/messaging';
import { VAULT_DATA } from '../vault-data/registry';
import { applyStores, DATABASES } from '../vault-data/schema';
import { keyedId, open, openBytes, seal, sealBytes, type MessagingKeys } from './keys';

/**
 * Message history at rest (IndexedDB through Dexie), encrypted like the vault: every conversation and
 * message is one sealed box under a seed-derived key (keys.ts); its kinds are declared in
 * extension/vault-data/registry.ts. In clear only what ordering and
 * de-duplication need: the message id (a hash of XMTP ciphertext), the thread id (a keyed hash of the
 * counterparty), the send time and whether a send is pending.
 */
// The view types are declared with the requests they answer (shared/protocol/ui/messaging.ts).
export type { Consent, Delivery } from '../../shared/protocol/ui/messaging';

export interface Thread {
  id: string;
  peer: string;
  /** The relationship identity (index) the patient uses in this thread; absent: the main identity. */
  identity?: number;
  conversationId: string;
  consent: Consent;
  /** A name the patient gave this counterparty (the directory has no names). */
  name?: string;
  unread: number;
  /** Catch-up high-water marks: per conversation (topic), sender time (ms) of the newest message seen. */
  seen: Record<string, number>;
  lastMessageAt: number;
  preview?: string;
  createdAt: number;
}

export interface StoredMessage {
  id: string;
  threadId: string;
  sender: string;
  sentAt: number;
  content: ReceivedContent;
  delivery: Delivery;
  /** Encrypted XMTP envelope of our own message, kept until it is sent so a retry replays it exactly. */
  wire?: string;
}

interface Row {
  id: string;
  sealed: Uint8Array;
}
interface MessageRow extends Row {
  thread: string;
  sentAt: number;
  pending: 0 | 1;
}
interface StateRow {
  key: string;
  sealed: Uint8Array;
}

class MessagingDb extends Dexie {
  threads!: Table<Row, string>;
  identities!: Table<Row, string>;
  messages!: Table<MessageRow, string>;
  state!: Table<StateRow, string>;
  constructor() {
    super(DATABASES.messaging.name);
    // Tables and schema versions: the vault data registry (messageThreads, messages, messagingState,
    // messagingIdentities).
    applyStores(this, 'messaging', VAULT_DATA);
  }
}

let db: MessagingDb | undefined;
const database = () => (db ??= new MessagingDb());

export async function readThread(keys: MessagingKeys, id: string): Promise<Thread | undefined> {
  const row = await database().threads.get(id);
  return row && open<Thread>(keys, 'thread', id, row.sealed);
}

export async function writeThread(keys: MessagingKeys, thread: Thread): Promise<void> {
  await database().threads.put({ id: thread.id, sealed: await seal(keys, 'thread', thread.id, thread) });
}

export async function allThreads(keys: MessagingKeys): Promise<Thread[]> {
  const rows = await database().threads.toArray();
  return Promise.all(rows.map((r) => open<Thread>(keys, 'thread', r.id, r.sealed)));
}

export async function hasMessage(id: string): Promise<boolean> {
  return (await database().messages.get(id)) !== undefined;
}

export async function readMessage(keys: MessagingKeys, id: string): Promise<StoredMessage | undefined> {
  const row = await database().messages.get(id);
  return row && open<StoredMessage>(keys, 'message', id, row.sealed);
}

async function messageRow(keys: MessagingKeys, m: StoredMessage): Promise<MessageRow> {
  const sealed = await seal(keys, 'message', m.id, m);
  return { id: m.id, thread: m.threadId, sentAt: m.sentAt, pending: m.delivery === 'sending' ? 1 : 0, sealed };
}

export async function writeMessage(keys: MessagingKeys, m: StoredMessage): Promise<void> {
  await database().messages.put(await messageRow(keys, m));
}

/** Swap one message record for another atomically (a local-only send that was just prepared). */
export async function replaceMessage(keys: MessagingKeys, oldId: string, m: StoredMessage): Promise<void> {
  const row = await messageRow(keys, m); // sealed before the transaction: it must not wait on WebCrypto
  const d = database();
  await d.transaction('rw', d.messages, async () => {
    await d.messages.delete(oldId);
    await d.messages.put(row);
  });
}

/** The newest `limit` messages before `before` (ms, exclusive), returned oldest first. */
export async function pageMessages(keys: MessagingKeys, threadId: string, limit: number, before = Infinity): Promise<StoredMessage[]> {
  const rows = await database()
    .messages.where('[thread+sentAt]')
    .between([threadId, Dexie.minKey], [threadId, before], false, false)
    .reverse()
    .limit(limit)
    .toArray();
  const messages = await Promise.all(rows.map((r) => open<StoredMessage>(keys, 'message', r.id, r.sealed)));
  return messages.reverse();
}

/** Sends that were in flight when a worker stopped. */
export async function pendingMessages(keys: MessagingKeys): Promise<StoredMessage[]> {
  const rows = await database().messages.where('pending').equals(1).toArray();
  return Promise.all(rows.map((r) => open<StoredMessage>(keys, 'message', r.id, r.sealed)));
}

/**
 * Each identity's XMTP key bundle, under a keyed hash of its address (the row key is in clear). Rows
 * written before relationship identities were keyed `bundle:<address>`: still read, and moved on the
 * next write.
 */
const bundleRow = (keys: MessagingKeys, address: string) => `bundle:${keyedId(keys, `xmtp-bundle ${address}`)}`;
const legacyBundleRow = (address: string) => `bundle:${address}`;

export async function readBundle(keys: MessagingKeys, address: string): Promise<Uint8Array | undefined> {
  const row = (await database().state.get(bundleRow(keys, address))) ?? (await database().state.get(legacyBundleRow(address)));
  return row && openBytes(keys, 'xmtp-bundle', address, row.sealed);
}

export async function writeBundle(keys: MessagingKeys, address: string, bundle: Uint8Array): Promise<void> {
  const sealed = await sealBytes(keys, 'xmtp-bundle', address, bundle);
  const d = database();
  await d.transaction('rw', d.state, async () => {
    await d.state.put({ key: bundleRow(keys, address), sealed });
    await d.state.delete(legacyBundleRow(address));
  });
}

/** The messaging identities in use (identities.ts), sealed like threads. */
export async function allIdentityRows(keys: MessagingKeys): Promise<unknown[]> {
  const rows = await database().identities.toArray();
  return Promise.all(rows.map((r) => open<unknown>(keys, 'identity', r.id, r.sealed)));
}

export async function writeIdentityRow(keys: MessagingKeys, id: string, value: unknown): Promise<void> {
  await database().identities.put({ id, sealed: await seal(keys, 'identity', id, value) });
}
