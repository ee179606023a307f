import { UiError } from '../../shared/protocol/ui-errors';
import type { ConnectionState } from '../../shared/protocol/ui/messaging';
import { unlocked } from '../keys/unlocked';
import { readSettings } from '../settings/store';
import { announceChange } from './changes';
import { readBundle, writeBundle } from './history';
import { deriveMessagingKeys, type MessagingKeys } from './keys';
import type { Messenger, PortMessage } from './port';
import { connectXmtp } from './xmtp-adapter';

/**
 * The live connection to the messaging node for the unlocked vault, one per worker. Everything that
 * needs the network goes through `session()`; views of the stored history only need `messagingKeys()`
 * and keep working while the node is unreachable.
 */
// The view types are declared with the requests they answer (shared/protocol/ui/messaging.ts).
export type { ConnectionState } from '../../shared/protocol/ui/messaging';

export interface Session {
  messenger: Messenger;
  keys: MessagingKeys;
  url: string;
  stopStream?: () => Promise<void>;
}

export type Connector = (args: { url: string; keys: MessagingKeys; privateKey: Uint8Array; address: string }) => Promise<Messenger>;

/** The XMTP adapter, with its key bundle kept sealed in the history database. */
const xmtpConnector: Connector = async ({ url, keys, privateKey, address }) => {
  // A bundle that does not open (another vault's, or damaged) is replaced by one made from the account.
  const bundle = await readBundle(keys, address).catch(() => undefined);
  return connectXmtp({ apiUrl: url, privateKey, bundle, onBundle: (b) => writeBundle(keys, address, b) });
};

let connector: Connector = xmtpConnector;
let active: Session | undefined;
let connecting: Promise<Session> | undefined;
let keysFor: { seed: Uint8Array; keys: MessagingKeys } | undefined;
let state: { state: ConnectionState; error?: string } = { state: 'locked' };
const OFFLINE = { state: 'offline', error: 'The messaging node is not reachable right now.' } as const;

/** Open pages show the connection state: tell them when it changes. */
function setState(next: { state: ConnectionState; error?: string }): void {
  if (next.state !== state.state) announceChange();
  state = next;
}
let onLive: (s: Session, m: PortMessage) => void = () => undefined;
let onLost: () => void = () => undefined;
let streamLost = false;

/** Tests swap the transport here; the product uses XMTP. */
export function useConnector(c: Connector): void {
  connector = c;
}

/** Where live messages from the stream go (inbox.ts registers its ingest). */
export function onLiveMessage(handler: (s: Session, m: PortMessage) => void): void {
  onLive = handler;
}

/** Called when the live stream drops (start.ts schedules a catch-up that ends in `restartStreamIfLost`). */
export function onStreamLost(handler: () => void): void {
  onLost = handler;
}

/**
 * After a drop, xmtp-js tries to resubscribe on its own, but in the browser that does not always come
 * back after the node restarts. So once a catch-up succeeds again, the stream is replaced by a new one.
 */
export async function restartStreamIfLost(s: Session): Promise<void> {
  if (!streamLost || active !== s) return;
  streamLost = false;
  await s.stopStream?.().catch(() => undefined);
  s.stopStream = await openStream(s);
}

function openStream(s: Session): Promise<() => Promise<void>> {
  return s.messenger.stream(
    (m) => onLive(s, m),
    () => {
      streamLost = true;
      setState(OFFLINE);
      onLost();
    },
  );
}

export function connectionState(): { state: ConnectionState; error?: string } {
  return state;
}

export class LockedError extends UiError {
  constructor() {
    super('locked', 'Unlock your vault to use messages.');
    this.name = 'LockedError';
  }
}

export async function messagingKeys(): Promise<{ keys: MessagingKeys; address: string }> {
  const u = await unlocked();
  if (!u) throw new LockedError();
  if (keysFor?.seed !== u.seed) keysFor = { seed: u.seed, keys: await deriveMessagingKeys(u.seed) };
  return { keys: keysFor.keys, address: u.identity.messaging.address.toLowerCase() };
}

/** The connected session; connects (or reconnects after a node URL change) when needed. */
export async function session(): Promise<Session> {
  const { keys, address } = await messagingKeys();
  const url = (await readSettings()).messagingUrl;
  if (active && active.url === url && active.messenger.address === address) return active;
  if (connecting) return connecting;
  connecting = (async () => {
    await endSession('connecting');
    try {
      const u = (await unlocked())!;
      const messenger = await connector({ url, keys, privateKey: u.identity.messaging.privateKey, address });
      const s: Session = { messenger, keys, url };
      s.stopStream = await openStream(s);
      active = s;
      setState({ state: 'online' });
      return s;
    } catch (error) {
      setState(OFFLINE);
      throw error;
    } finally {
      connecting = undefined;
    }
  })();
  return connecting;
}

/** A failed network call marks the connection offline until the next success (for the UI). */
export function markOnline(online: boolean): void {
  if (active) setState(online ? { state: 'online' } : OFFLINE);
}

export async function endSession(next: ConnectionState = 'locked'): Promise<void> {
  const s = active;
  active = undefined;
  setState({ state: next });
  if (next === 'locked') keysFor = undefined;
  if (!s) return;
  await s.stopStream?.().catch(() => undefined);
  await s.messenger.close().catch(() => undefined);
}
