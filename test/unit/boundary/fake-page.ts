import { vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';

/**
 * Stand-ins for the two things WXT's fake browser lacks on the page path: a web page's window
 * (postMessage to itself, structured clone, `event.source`) and runtime ports (runtime.connect /
 * onConnect are "not implemented" there). They follow Chrome's rules where the code depends on them:
 * messages arrive asynchronously as copies, `disconnect()` fires onDisconnect on the other end only,
 * and posting on a disconnected port throws.
 */

/** A page window: what the MAIN-world provider and the isolated bridge both listen on. */
export class FakePageWindow extends EventTarget {
  readonly location: { origin: string };
  /** Everything posted to this window (by the provider or the bridge), in order. */
  readonly posted: unknown[] = [];

  constructor(origin: string) {
    super();
    this.location = { origin };
  }

  postMessage(data: unknown, _target?: string | WindowPostMessageOptions): void {
    const copy = structuredClone(data);
    this.posted.push(copy);
    setTimeout(() => this.deliver(copy, this), 0);
  }

  /** Dispatch a message event as if `source` had posted it (another frame, a forged source, …). */
  deliver(data: unknown, source: unknown): void {
    const event = new MessageEvent('message', { data });
    Object.defineProperty(event, 'source', { value: source });
    this.dispatchEvent(event);
  }
}

type Listener<A extends unknown[]> = (...args: A) => void;

class FakeEvent<A extends unknown[]> {
  private readonly listeners = new Set<Listener<A>>();
  addListener(listener: Listener<A>): void {
    this.listeners.add(listener);
  }
  removeListener(listener: Listener<A>): void {
    this.listeners.delete(listener);
  }
  hasListener(listener: Listener<A>): boolean {
    return this.listeners.has(listener);
  }
  fire(...args: A): void {
    for (const listener of [...this.listeners]) listener(...args);
  }
}

export class FakePort {
  readonly onMessage = new FakeEvent<[unknown, FakePort]>();
  readonly onDisconnect = new FakeEvent<[FakePort]>();
  connected = true;
  private other!: FakePort;

  private constructor(
    readonly name: string,
    readonly sender: Browser.runtime.MessageSender | undefined,
  ) {}

  /** Two ends of one port: [the connecting side, the side onConnect hands out]. */
  static pair(name: string, sender: Browser.runtime.MessageSender): [FakePort, FakePort] {
    const client = new FakePort(name, undefined);
    const server = new FakePort(name, sender);
    client.other = server;
    server.other = client;
    return [client, server];
  }

  postMessage(message: unknown): void {
    if (!this.connected) throw new Error('Attempting to use a disconnected port object');
    const copy = structuredClone(message);
    const other = this.other;
    setTimeout(() => {
      if (other.connected) other.onMessage.fire(copy, other);
    }, 0);
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.other.connected = false;
    const other = this.other;
    setTimeout(() => other.onDisconnect.fire(other), 0);
  }
}

export type OnConnect = (port: Browser.runtime.Port) => void;

/**
 * runtime ports between content scripts and a background "worker". `restart(start)` models Chrome
 * stopping the service worker and waking a fresh one: the old listeners are gone, the new worker
 * registers its own, and every open port disconnects.
 */
export function installFakePorts(sender: Browser.runtime.MessageSender) {
  let listeners: OnConnect[] = [];
  const backgroundEnds: FakePort[] = [];
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation((listener) => void listeners.push(listener as OnConnect));
  const connect = vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementation(((info?: { name?: string }) => {
    const [content, background] = FakePort.pair(info?.name ?? '', sender);
    backgroundEnds.push(background);
    // Like Chrome, the background hears of the port after connect() returns (messages posted
    // meanwhile are queued behind it; a port the background drops swallows them).
    setTimeout(() => {
      for (const listener of listeners) listener(background as unknown as Browser.runtime.Port);
    }, 0);
    return content as unknown as Browser.runtime.Port;
  }) as typeof fakeBrowser.runtime.connect);
  return {
    connect,
    backgroundEnds,
    /** Hand a raw background-side listener (e.g. one that misbehaves) to the network. */
    listen(listener: OnConnect) {
      listeners.push(listener);
    },
    async restart(start: () => void | Promise<void>) {
      listeners = [];
      await start();
      for (const port of backgroundEnds.splice(0)) port.disconnect();
    },
  };
}

/** A web page's sender as Chrome describes a content script's port (tab set, page origin). */
export function pageSender(origin: string): Browser.runtime.MessageSender {
  return { id: fakeBrowser.runtime.id, origin, url: `${origin}/`, tab: { id: 7, url: `${origin}/` } as Browser.tabs.Tab };
}
