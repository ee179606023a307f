// Invite links (shared/messaging/invite.ts): what a doctor pastes or scans is parsed by one schema, and
// everything malformed, tampered with or expired gets a sentence that says so.
import { describe, expect, it } from 'vitest';
import { INVITE_ERRORS, inviteLink, looksLikeInvite, readInvite } from '../../../shared/messaging/invite';

const TO = '0x28774bFFB6A54Afe39F1FdC46a678F6C1C348d10';
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const EXPIRES = NOW + 72 * 3600_000;
const link = inviteLink({ to: TO, expiresAt: EXPIRES });

describe('invite links', () => {
  it('round-trips: the address (lowercase) and the expiry in whole seconds', () => {
    expect(link).toBe(`securemed://invite?v=1&to=${TO.toLowerCase()}&exp=${EXPIRES / 1000}`);
    expect(readInvite(`  ${link}\n`, NOW)).toEqual({ ok: true, invite: { to: TO.toLowerCase(), expiresAt: EXPIRES } });
    expect(looksLikeInvite(` ${link}`)).toBe(true);
    expect(looksLikeInvite(TO)).toBe(false);
  });

  it('refuses what is not an invite', () => {
    for (const text of ['', TO, 'hello', 'https://securemed.example/invite?v=1', 'securemed://other?v=1', 'securemed:']) {
      expect(readInvite(text, NOW)).toEqual({ ok: false, error: INVITE_ERRORS.notAnInvite });
    }
  });

  it('refuses a damaged or tampered invite', () => {
    const damaged = [
      link.slice(0, -4), // cut short: the expiry no longer parses as a date this century… or the address
      link.replace(/to=0x[0-9a-f]{6}/, 'to=0x'),
      link.replace('&exp=', '&x=1&exp='), // an unknown field
      `${link}&to=${TO}`, // a field twice
      link.replace(/exp=\d+/, 'exp=soon'),
      inviteLink({ to: TO, expiresAt: NOW + 365 * 24 * 3600_000 }), // longer than any invite is valid
    ];
    for (const text of damaged) {
      const r = readInvite(text, NOW);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/damaged|incomplete/);
    }
  });

  it('says an invite from a newer version needs an update', () => {
    const r = readInvite(link.replace('v=1', 'v=2'), NOW);
    expect(r).toEqual({ ok: false, error: expect.stringContaining('newer version') });
  });

  it('refuses an expired invite, saying when it expired', () => {
    const r = readInvite(link, EXPIRES + 1);
    expect(r).toEqual({ ok: false, error: INVITE_ERRORS.expired(EXPIRES) });
    expect(INVITE_ERRORS.expired(EXPIRES)).toMatch(/^This invite expired on .+ Ask your patient/);
  });
});
