import { UiError } from '../../shared/protocol/ui-errors';
import type { ConnectionState } from '../../shared/protocol/ui/messaging';
import { unlocked } from '../keys/unlocked';
import { logError } from '../logging/log';
import { readSettings } from '../settings/store';
import { announceChange } from './changes';
import { allThreads, readBundle, readMessage, readThread, writeBundle } from './history';
import { Identities, slotOf, threadSlot, type Slot } from './identities';
import { deriveMessagingKeys, threadIdOf, type MessagingKeys } from './keys';
import type { MessagingNetwork, NetworkEvents, PortConversation, PortMessage } from './port';
import { xmtpNetwork } from './xmtp-network';

/**
 * The messaging node for the unlocked vault, one per worker. Everything that needs the network goes
 * through `session()`: one `MessagingNetwork` (one live subscription, batched reads) for every identity
 * the patient speaks from (identities.ts). Views of the stored history only need `messagingKeys()` and
 * keep working while the node is unreachable.
 */
// The view types are declared with the requests they answer (shared/protocol/ui/messaging.ts).
export type { ConnectionState } from '../../shared/protocol/ui/messaging';

export interface Session {
  network: MessagingNetwork;
  identities: Identities;
  keys: MessagingKeys;
  url: string;
  /** The main identity's address (the one the popup shows). */
  main: string;
  /** What the network reports goes here (inbox.ts fills in `message`). */
  events: NetworkEvents;
}

export type Connector = (args: { url: string; keys: MessagingKeys }) => MessagingNetwork;

/** The XMTP adapter, with each identity's key bundle kept sealed in the history database. */
const xmtpConnector: Connector = ({ url, keys }) =>
  xmtpNetwork({
    url,
    bundles: {
      // A bundle that does not open (another vault's, or damaged) is replaced by one made from the account.
      load: (address) => readBundle(keys, address),
      save: (address, bundle) => writeBundle(keys, address, bundle),
    },
    onSkipped: (error) => logError('messaging', 'an envelope on one of our topics could not be decrypted', error),
  });

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
let onMessage: (s: Session, me: string, m: PortMessage) => Promise<void> = async () => undefined;
let onLost: () => void = () => undefined;
let streamLost = false;

/** Tests swap the transport here; the product uses XMTP. */
export function useConnector(c: Connector): void {
  connector = c;
}

/** Where messages from the stream and catch-up go (inbox.ts registers its ingest). */
export function onNetworkMessage(handler: (s: Session, me: string, m: PortMessage) => Promise<void>): void {
  onMessage = handler;
}

/** Called when the live stream drops (start.ts schedules a catch-up that ends in `restartStreamIfLost`). */
export function onStreamLost(handler: () => void): void {
  onLost = handler;
}

/** After a drop, once a catch-up succeeds again, the subscription is replaced by a new one. */
export async function restartStreamIfLost(s: Session): Promise<void> {
  if (!streamLost || active !== s) return;
  streamLost = false;
  await follow(s);
}

function follow(s: Session): Promise<void> {
  return s.network.follow(s.identities.followed(() => undefined), s.events, () => {
    streamLost = true;
    setState(OFFLINE);
    onLost();
  });
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

/** The at-rest keys, the main identity's address and the seed (for relationship identities' keys). */
export async function messagingKeys(): Promise<{ keys: MessagingKeys; address: string; seed: Uint8Array }> {
  const u = await unlocked();
  if (!u) throw new LockedError();
  if (keysFor?.seed !== u.seed) keysFor = { seed: u.seed, keys: await deriveMessagingKeys(u.seed) };
  return { keys: keysFor.keys, address: u.identity.messaging.address.toLowerCase(), seed: u.seed };
}

/** The thread an identity's conversation with `peer` lives in. */
export function threadIdFor(s: Pick<Session, 'keys'>, slot: Slot, peer: string): string {
  return threadIdOf(s.keys, peer, threadSlot(slot));
}

function eventsFor(s: Session): NetworkEvents {
  return {
    // Delivered already: no need to decrypt it again (our own pending sends still go through ingest).
    known: async (id) => {
      const m = await readMessage(s.keys, id);
      return m?.delivery === 'sent' || m?.delivery === 'received';
    },
    message: (me, m) => onMessage(s, me, m),
    conversation: async (me: string, c: PortConversation) => {
      const record = s.identities.get(me);
      if (!record) return undefined;
      await s.identities.addConversation(me, c.id, c.peer);
      return (await readThread(s.keys, threadIdFor(s, record.slot, c.peer)))?.seen[c.id];
    },
    invites: (me, mark) => s.identities.setInvites(me, mark),
  };
}

/** The connected session; connects (or reconnects after a node URL change) when needed. */
export async function session(): Promise<Session> {
  const { keys, address } = await messagingKeys();
  const url = (await readSettings()).messagingUrl;
  if (active && active.url === url && active.main === address) return active;
  if (connecting) return connecting;
  connecting = (async () => {
    await endSession('connecting');
    let network: MessagingNetwork | undefined;
    try {
      const u = (await unlocked())!;
      network = connector({ url, keys });
      const main = { address, privateKey: u.identity.messaging.privateKey };
      const identities = await Identities.load(keys, u.seed, main, async () =>
        (await allThreads(keys)).filter((t) => slotOf(t) === 'main').map((t) => ({ peer: t.peer, topics: [...new Set([t.conversationId, ...Object.keys(t.seen)])] })),
      );
      await identities.followThreads(await allThreads(keys));
      const s: Session = { network, identities, keys, url, main: address, events: undefined! };
      s.events = eventsFor(s);
      // The main identity is the public one (strangers and doctors write to it): it must be on this
      // node even if nothing ever made its client here (a new vault, a new node URL).
      const [published] = await network.registered([address]);
      if (!published) await network.messenger(main);
      // Relationship identities made on another device, or before a restore from the phrase.
      await identities.discover(network);
      await follow(s);
      active = s;
      setState({ state: 'online' });
      return s;
    } catch (error) {
      await network?.close().catch(() => undefined);
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
  await s.network.close().catch(() => undefined);
}
