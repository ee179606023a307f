import { z } from 'zod';
import { deriveRelationshipMessagingAccount, MAX_RELATIONSHIP_INDEX } from '../../shared/crypto/identity';
import { allIdentityRows, writeIdentityRow } from './history';
import type { MessagingKeys } from './keys';
import type { Followed, IdentityKeys, InviteMark, MessagingNetwork } from './port';

/**
 * The patient's messaging identities (README.md "One identity per counterparty"):
 * - `main`: the vault's messaging account (m/44'/60'/7877'/0/0), the address the popup shows. Strangers
 *   and doctors who were given it write there, and every conversation from before relationship
 *   identities keeps using it;
 * - relationship `i`: m/44'/60'/7877'/2/i', one per counterparty the patient adds, so no two doctors (and
 *   no stored invitation) see the same patient address.
 * Each is one sealed row (registry kind `messagingIdentities`): its address, the counterparty it was
 * made for, the conversations it follows and how far its invitations were read. Restore needs none of
 * it: `discover` finds the used indexes on the node.
 */
export type Slot = 'main' | number;

const Topic = z.string().min(1).max(512);
const Address = z.string().regex(/^0x[0-9a-f]{40}$/);
const IdentityRecord = z.object({
  slot: z.union([z.literal('main'), z.number().int().min(0).max(MAX_RELATIONSHIP_INDEX)]),
  address: Address,
  /** Who this relationship identity was made for (learned from its first conversation after a restore). */
  counterparty: Address.optional(),
  /** Conversation topic → counterparty. */
  conversations: z.record(Topic, Address),
  invites: z.object({ ns: z.string().regex(/^\d{1,20}$/), ids: z.array(z.string().max(64)).max(100) }).optional(),
  /** Made for an invite link (shared/messaging/invite.ts): until when it may be claimed, and the patient's name for it. */
  invite: z.object({ expiresAt: z.number(), name: z.string().max(80).optional() }).optional(),
  createdAt: z.number(),
});
export type IdentityRecord = z.infer<typeof IdentityRecord>;

/** Indexes scanned past the highest known one before concluding none is in use (like BIP-44's gap). */
export const DISCOVERY_GAP = 10;

const rowId = (slot: Slot) => (slot === 'main' ? 'main' : `r${slot}`);
export const slotOf = (thread: { identity?: number }): Slot => thread.identity ?? 'main';
export const threadSlot = (slot: Slot): number | undefined => (slot === 'main' ? undefined : slot);

/** Our address in a slot, without the registry (a send while the node is unreachable). */
export function slotAddress(seed: Uint8Array, mainAddress: string, slot: Slot): string {
  return slot === 'main' ? mainAddress : deriveRelationshipMessagingAccount(seed, slot).address.toLowerCase();
}

export class Identities {
  private readonly byAddress = new Map<string, IdentityRecord>();
  private readonly privateKeys = new Map<string, Uint8Array>();
  private allocating: Promise<unknown> = Promise.resolve();
  /** Row writes, one at a time (see `update`). */
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly keys: MessagingKeys,
    private readonly seed: Uint8Array,
    private readonly main: IdentityKeys,
  ) {}

  /**
   * Reads every identity row. The first time (an existing vault), the main identity's row is made from
   * its threads, so its conversations are followed from where they were.
   */
  static async load(keys: MessagingKeys, seed: Uint8Array, main: IdentityKeys, legacy: () => Promise<Array<{ peer: string; topics: string[] }>>): Promise<Identities> {
    const ids = new Identities(keys, seed, main);
    for (const raw of await allIdentityRows(keys)) {
      const parsed = IdentityRecord.safeParse(raw);
      if (parsed.success) ids.byAddress.set(parsed.data.address, parsed.data);
    }
    ids.privateKeys.set(main.address, main.privateKey);
    if (!ids.byAddress.has(main.address)) {
      const conversations: Record<string, string> = {};
      for (const t of await legacy()) for (const topic of t.topics) conversations[topic] = t.peer;
      await ids.save({ slot: 'main', address: main.address, conversations, createdAt: Date.now() });
    }
    return ids;
  }

  all(): IdentityRecord[] {
    return [...this.byAddress.values()];
  }

  get(address: string): IdentityRecord | undefined {
    return this.byAddress.get(address.toLowerCase());
  }

  bySlot(slot: Slot): IdentityRecord | undefined {
    return this.all().find((r) => r.slot === slot);
  }

  isOurs(address: string): boolean {
    return this.byAddress.has(address.toLowerCase());
  }

  /** The relationship identity made for `peer`, if any. */
  forCounterparty(peer: string): IdentityRecord | undefined {
    return this.all().find((r) => r.slot !== 'main' && r.counterparty === peer.toLowerCase());
  }

  keysOf(record: IdentityRecord): IdentityKeys {
    let privateKey = this.privateKeys.get(record.address);
    if (!privateKey) {
      if (record.slot === 'main') throw new Error('the main identity key is always known');
      privateKey = deriveRelationshipMessagingAccount(this.seed, record.slot).privateKey;
      this.privateKeys.set(record.address, privateKey);
    }
    return { address: record.address, privateKey };
  }

  /** What the network follows: every identity's invitations and conversations, from their marks. */
  followed(since: (slot: Slot, peer: string, topic: string) => number | undefined): Followed[] {
    return this.all().map((r) => ({
      identity: this.keysOf(r),
      invites: r.invites,
      conversations: Object.entries(r.conversations).map(([id, peer]) => ({ id, since: since(r.slot, peer, id) })),
    }));
  }

  /**
   * A fresh relationship identity for `peer`: the lowest index above every one known here that the node
   * has never seen (another device with the same phrase may have used the next ones). Saved before it is
   * published, so a failure half-way is retried with the same index.
   */
  allocate(peer: string, network: MessagingNetwork): Promise<IdentityRecord> {
    return this.fresh(network, { counterparty: peer.toLowerCase() }, () => this.forCounterparty(peer));
  }

  /**
   * A fresh relationship identity for an invite link: no counterparty yet; the first one to start a
   * conversation with it before `expiresAt` becomes its counterparty (addConversation).
   */
  allocateForInvite(network: MessagingNetwork, expiresAt: number, name?: string): Promise<IdentityRecord> {
    return this.fresh(network, { invite: { expiresAt, ...(name ? { name } : {}) } });
  }

  private fresh(network: MessagingNetwork, fields: Partial<IdentityRecord>, existing: () => IdentityRecord | undefined = () => undefined): Promise<IdentityRecord> {
    const run = this.allocating.then(async () => {
      const found = existing();
      if (found) return found;
      for (let index = this.highestIndex() + 1; index <= MAX_RELATIONSHIP_INDEX; index++) {
        const record = this.candidate(index);
        const [used] = await network.registered([record.address]);
        if (used) {
          await this.save(record); // another device's: follow it too
          continue;
        }
        await this.save({ ...record, ...fields });
        return this.get(record.address)!;
      }
      throw new Error('No relationship index is left.');
    });
    this.allocating = run.catch(() => undefined);
    return run;
  }

  /**
   * Restore (and other devices): relationship identities this profile does not know yet, found by
   * asking the node which of the next addresses set up messaging, `DISCOVERY_GAP` at a time (one batched
   * read each), until a whole window is unused. Returns how many were found.
   */
  async discover(network: MessagingNetwork): Promise<number> {
    let found = 0;
    let next = this.highestIndex() + 1;
    for (;;) {
      const window = Array.from({ length: DISCOVERY_GAP }, (_, i) => this.candidate(next + i)).filter((r) => (r.slot as number) <= MAX_RELATIONSHIP_INDEX);
      if (!window.length) return found;
      const used = await network.registered(window.map((r) => r.address));
      const last = used.lastIndexOf(true);
      if (last < 0) return found;
      for (const [i, record] of window.entries()) {
        if (used[i] && !this.isOurs(record.address)) {
          await this.save(record);
          found++;
        }
      }
      next += last + 1;
    }
  }

  addConversation(address: string, topic: string, peer: string): Promise<void> {
    return this.update(address, (r) => {
      if (r.conversations[topic] === peer) return undefined;
      // A relationship identity found by discovery learns its counterparty from its first conversation;
      // one made for an invite only while the invite is valid (later ones are strangers: Requests).
      const claimable = !r.invite || r.invite.expiresAt > Date.now();
      return { ...r, conversations: { ...r.conversations, [topic]: peer }, counterparty: r.slot === 'main' ? undefined : (r.counterparty ?? (claimable ? peer : undefined)) };
    });
  }

  /**
   * Every thread's conversations are followed by the identity the thread speaks from. Rows written
   * before updates were queued could have lost a conversation (see `update`): this puts it back.
   */
  async followThreads(threads: Array<{ identity?: number; peer: string; conversationId: string; seen: Record<string, number> }>): Promise<void> {
    for (const t of threads) {
      const r = this.bySlot(slotOf(t));
      if (!r) continue;
      for (const topic of new Set([t.conversationId, ...Object.keys(t.seen)])) if (r.conversations[topic] !== t.peer) await this.addConversation(r.address, topic, t.peer);
    }
  }

  setInvites(address: string, mark: InviteMark): Promise<void> {
    return this.update(address, (r) => {
      const old = r.invites;
      // Never move back (a live invitation can be older than one a catch-up read).
      if (old && BigInt(old.ns) > BigInt(mark.ns)) return undefined;
      const merged = old && old.ns === mark.ns ? { ns: mark.ns, ids: [...new Set([...old.ids, ...mark.ids])].slice(-100) } : mark;
      return { ...r, invites: merged };
    });
  }

  /**
   * Read-modify-write of one row, queued behind every other write. The stream reports our own new
   * invitation (mark + conversation) while startConversation records the same conversation: two
   * updates copying the row as it was before the other landed lost one change, and a conversation
   * missing from its row is not followed after a worker restart (issue 16's restart regression).
   * `change` sees the row as it is now and returns the new one, or undefined for no change.
   */
  private update(address: string, change: (r: IdentityRecord) => IdentityRecord | undefined): Promise<void> {
    return this.queued(async () => {
      const r = this.get(address);
      const next = r && change(r);
      if (next) await this.write(next);
    });
  }

  private queued<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writes.then(task, task);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private highestIndex(): number {
    return Math.max(-1, ...this.all().map((r) => (r.slot === 'main' ? -1 : r.slot)));
  }

  private candidate(index: number): IdentityRecord {
    const account = deriveRelationshipMessagingAccount(this.seed, index);
    return { slot: index, address: account.address.toLowerCase(), conversations: {}, createdAt: Date.now() };
  }

  /** A whole row (a new identity), in the same queue as `update`. */
  private save(record: IdentityRecord): Promise<void> {
    return this.queued(() => this.write(record));
  }

  private async write(record: IdentityRecord): Promise<void> {
    const parsed = IdentityRecord.parse(record);
    await writeIdentityRow(this.keys, rowId(parsed.slot), parsed);
    this.byAddress.set(parsed.address, parsed);
  }
}
