import { inviteLink, INVITE_VALID_HOURS, readInvite } from '../../shared/messaging/invite';
import { UiError } from '../../shared/protocol/ui-errors';
import { announceChange } from './changes';
import { startConversation } from './conversations';
import { session } from './session';

/**
 * Invite links / QR codes (shared/messaging/invite.ts has the format and its schema).
 *
 * The patient's side: each invite is a fresh relationship identity (identities.ts), published on the
 * node at once (the doctor's SecureMed checks that the address can receive) and followed by the one
 * subscription from then on. The first counterparty to start a conversation with it before it expires
 * becomes its counterparty: that conversation goes to the inbox, under the name the patient gave the
 * invite. Anyone later, or after expiry, lands in Requests like any stranger.
 *
 * The doctor's side: the pasted link is parsed by the same schema; a valid one starts a conversation
 * with that address from the doctor's public (main) identity, which is what patients look up.
 */
export async function createInvite(name?: string): Promise<{ link: string; expiresAt: number }> {
  const s = await session();
  // Whole seconds: the link carries seconds, and the identity row must agree with it.
  const expiresAt = Math.floor((Date.now() + INVITE_VALID_HOURS * 3600_000) / 1000) * 1000;
  const record = await s.identities.allocateForInvite(s.network, expiresAt, name?.trim() || undefined);
  await s.network.messenger(s.identities.keysOf(record));
  announceChange();
  return { link: inviteLink({ to: record.address, expiresAt }), expiresAt };
}

export async function joinInvite(text: string, name?: string): Promise<string> {
  const check = readInvite(text);
  if (!check.ok) throw new UiError('invalid', check.error);
  const s = await session();
  if (s.identities.isOurs(check.invite.to)) throw new UiError('invalid', 'This is your own invite. Show it to your doctor instead.');
  return startConversation(check.invite.to, name, { publicIdentity: true });
}
