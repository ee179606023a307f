// Which topics belong to whom, following the topics xmtp-js 13 uses (src/utils/topic.ts) and who
// publishes to them:
//   contact-<addr>           the owner's public key bundle; published by Client.create under the owner's
//                            own token                                  → only the owner may publish
//   privatestore-<addr>/<k>  the owner's encrypted key bundle and stores (TopicPersistence, under a
//                            token of the identity being stored)      → only the owner may publish/read
//   invite-<addr>            sealed invitations; a sender publishes to the peer's AND its own invite
//                            topic (Conversations.sendInvitation)       → anyone authenticated may publish,
//                            only the owner needs to read
//   intro-<addr>             V1 intros, published by senders            → like invite-
//   m-*, dm-*, userpreferences-*                                        → anyone authenticated
// Addresses are compared case-insensitively (topics use EIP-55, tokens too, but nothing depends on it).

export type TopicKind = 'contact' | 'privatestore' | 'invite' | 'intro' | 'other';

export interface TopicOwner {
  kind: TopicKind;
  /** Lower-case owner address for the address-bound kinds. */
  owner?: string;
}

const ADDRESS_BOUND = /^\/xmtp\/0\/(contact|privatestore|invite|intro)-(0x[0-9a-fA-F]{40})(?:\/[^]*)?\/proto$/;

export function topicOwner(topic: string): TopicOwner {
  const m = ADDRESS_BOUND.exec(topic);
  if (!m) return { kind: 'other' };
  const kind = m[1] as TopicKind;
  // privatestore topics carry a key after the address ("…/key_bundle"); the others end at the address.
  const rest = topic.slice(`/xmtp/0/${m[1]}-`.length + 42, -'/proto'.length);
  if (kind !== 'privatestore' && rest !== '') return { kind: 'other' };
  return { kind, owner: m[2].toLowerCase() };
}

/** Publishing to contact- and privatestore- topics is reserved to the address they name. */
export function mayPublish(topic: string, wallet: string): boolean {
  const { kind, owner } = topicOwner(topic);
  if (kind === 'contact' || kind === 'privatestore') return owner === wallet.toLowerCase();
  return true;
}

/** Topics whose reads reveal the owner's private store or who writes to them (see README, "Reads"). */
export function isPrivateRead(topic: string): string | undefined {
  const { kind, owner } = topicOwner(topic);
  return kind === 'privatestore' || kind === 'invite' || kind === 'intro' ? owner : undefined;
}
