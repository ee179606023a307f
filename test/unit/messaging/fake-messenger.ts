import type { MessageContent } from '../../../shared/messaging/content';
import type { Messenger, PortConversation, PortMessage, PreparedMessage } from '../../../extension/messaging/port';

/**
 * An in-memory "network" implementing the Messenger port: shared by several FakeMessengers, so the
 * service can be tested without XMTP. Like the relay, a republished wire is stored once.
 */
export class FakeNetwork {
  readonly messages: PortMessage[] = [];
  readonly conversations: PortConversation[] = [];
  down = false;
  private listeners = new Map<string, (m: PortMessage) => void>();
  private counter = 0;

  messenger(address: string): FakeMessenger {
    return new FakeMessenger(this, address.toLowerCase());
  }

  deliver(m: PortMessage): void {
    if (this.messages.some((x) => x.id === m.id)) return;
    this.messages.push(m);
    for (const [address, listener] of this.listeners) if (m.conversationId.includes(address)) listener(m);
  }

  listen(address: string, listener: (m: PortMessage) => void): () => void {
    this.listeners.set(address, listener);
    return () => void this.listeners.delete(address);
  }

  nextId(): string {
    return (++this.counter).toString(16).padStart(64, '0');
  }
}

export class FakeMessenger implements Messenger {
  constructor(private readonly net: FakeNetwork, readonly address: string) {}

  async canMessage(): Promise<boolean> {
    return true;
  }

  async conversations(): Promise<PortConversation[]> {
    this.check();
    return this.net.conversations.filter((c) => c.id.includes(this.address)).map((c) => ({ ...c, peer: this.peerOf(c.id) }));
  }

  async open(peer: string): Promise<PortConversation> {
    const id = [this.address, peer.toLowerCase()].sort().join('/');
    if (!this.net.conversations.some((c) => c.id === id)) this.net.conversations.push({ id, peer, createdAt: Date.now() });
    return { id, peer: peer.toLowerCase(), createdAt: Date.now() };
  }

  async prepare(c: PortConversation, content: MessageContent): Promise<PreparedMessage> {
    const m: PortMessage = { id: this.net.nextId(), conversationId: c.id, peer: '', sender: this.address, sentAt: Date.now(), content };
    return { id: m.id, sentAt: m.sentAt, wire: JSON.stringify(m) };
  }

  async publish(wire: string): Promise<void> {
    this.check();
    this.net.deliver(JSON.parse(wire) as PortMessage);
  }

  async send(c: PortConversation, content: MessageContent): Promise<PortMessage> {
    const p = await this.prepare(c, content);
    await this.publish(p.wire);
    return { ...(JSON.parse(p.wire) as PortMessage), peer: c.peer };
  }

  async *list(c: PortConversation, opts: { since?: number }): AsyncIterable<PortMessage[]> {
    this.check();
    yield this.net.messages.filter((m) => m.conversationId === c.id && m.sentAt >= (opts.since ?? 0)).map((m) => this.view(m));
  }

  async stream(onMessage: (m: PortMessage) => void): Promise<() => Promise<void>> {
    const stop = this.net.listen(this.address, (m) => onMessage(this.view(m)));
    return async () => stop();
  }

  async close(): Promise<void> {}

  private view(m: PortMessage): PortMessage {
    return { ...m, peer: this.peerOf(m.conversationId) };
  }

  private peerOf(conversationId: string): string {
    return conversationId.split('/').find((a) => a !== this.address)!;
  }

  private check(): void {
    if (this.net.down) throw new Error('network down');
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
