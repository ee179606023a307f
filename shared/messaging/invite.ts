import { z } from 'zod';

/**
 * An invite link (shown as text and as a QR code on the patient's Messages page) that lets a doctor
 * start a conversation with a messaging identity made for that one relationship: the doctor never
 * learns the patient's main address, nor the address any other doctor got.
 *
 *   securemed://invite?v=1&to=<address of the fresh identity>&exp=<expiry, unix seconds>
 *
 * It carries no name, no health data and nothing secret: whoever holds it can write to that address
 * (the first to do so before it expires lands in the patient's inbox, see extension/messaging/invites.ts),
 * which is why it expires. Parsed with one schema wherever it is read (the doctor's paste, the page).
 */
export const INVITE_SCHEME = 'securemed:';
export const INVITE_VALID_HOURS = 72;
/** An invite never claims to be valid for longer than this (a hand-edited expiry is refused). */
const MAX_VALID_MS = 30 * 24 * 3600_000;

export const InviteFields = z.strictObject({
  v: z.literal('1', 'This invite was made by a newer version of SecureMed. Update SecureMed, then open it again.'),
  to: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'The address in this invite is damaged.')
    .transform((a) => a.toLowerCase()),
  exp: z
    .string()
    .regex(/^\d{9,11}$/, 'The expiry date in this invite is damaged.')
    .transform((s) => Number(s) * 1000),
});
export interface Invite {
  /** The patient's messaging address for this relationship (lowercase). */
  to: string;
  /** ms since epoch. */
  expiresAt: number;
}

export type InviteCheck = { ok: true; invite: Invite } | { ok: false; error: string };

export const INVITE_ERRORS = {
  notAnInvite: 'This is not a SecureMed invite link. Paste the whole link your patient showed you (it starts with “securemed://invite”).',
  damaged: 'This invite link is incomplete or damaged. Copy it again, or scan the QR code.',
  expired: (at: number) => `This invite expired on ${new Date(at).toLocaleString()}. Ask your patient to show you a new one.`,
} as const;

export function inviteLink(invite: Invite): string {
  const params = new URLSearchParams({ v: '1', to: invite.to.toLowerCase(), exp: String(Math.floor(invite.expiresAt / 1000)) });
  return `${INVITE_SCHEME}//invite?${params.toString()}`;
}

/** Does this pasted text mean to be an invite (rather than an address)? */
export function looksLikeInvite(text: string): boolean {
  return text.trim().toLowerCase().startsWith(INVITE_SCHEME);
}

/** Reads a pasted or scanned invite: the invite, or a sentence saying what is wrong with it. */
export function readInvite(text: string, now = Date.now()): InviteCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, error: INVITE_ERRORS.notAnInvite };
  }
  // Non-special scheme: `securemed://invite?…` has host "invite"; some parsers put it in the path.
  const target = url.host || url.pathname.replace(/^\/+/, '');
  if (url.protocol !== INVITE_SCHEME || target !== 'invite') return { ok: false, error: INVITE_ERRORS.notAnInvite };
  const fields: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in fields) return { ok: false, error: INVITE_ERRORS.damaged };
    fields[key] = value;
  }
  const parsed = InviteFields.safeParse(fields);
  if (!parsed.success) {
    const versionIssue = parsed.error.issues.find((i) => i.path[0] === 'v' && fields.v !== undefined);
    return { ok: false, error: versionIssue?.message ?? INVITE_ERRORS.damaged };
  }
  const { to, exp } = parsed.data;
  if (exp <= now) return { ok: false, error: INVITE_ERRORS.expired(exp) };
  if (exp > now + MAX_VALID_MS) return { ok: false, error: INVITE_ERRORS.damaged };
  return { ok: true, invite: { to, expiresAt: exp } };
}
