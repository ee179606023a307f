import { browser } from 'wxt/browser';

/**
 * The one owner of the toolbar badge. Several parts of the background count things that wait for the
 * patient (unread messages and message requests, pending approval requests from sites); each reports its
 * own count here and the badge shows the sum. Counts live in `storage.session` so a restarted worker does
 * not blank a badge that another part set before the restart (storage.session is cleared when the
 * browser closes, as the badge itself is).
 */
export type BadgeSource = 'messages' | 'approvals';

const KEY = 'badge.counts';
const COLOUR = '#0b6e63';

type Counts = Partial<Record<BadgeSource, number>>;

// Updates run one after another: two parts reporting at once must not lose each other's count.
let chain: Promise<void> = Promise.resolve();

export function setBadgeCount(source: BadgeSource, count: number): Promise<void> {
  chain = chain.then(() => apply(source, count)).catch(() => undefined);
  return chain;
}

export async function badgeTotal(): Promise<number> {
  return total(await read());
}

async function apply(source: BadgeSource, count: number): Promise<void> {
  const counts = await read();
  counts[source] = Math.max(0, Math.floor(count));
  await browser.storage.session.set({ [KEY]: counts });
  const sum = total(counts);
  await browser.action.setBadgeText({ text: sum > 0 ? String(Math.min(sum, 99)) : '' });
  if (sum > 0) await browser.action.setBadgeBackgroundColor({ color: COLOUR });
}

async function read(): Promise<Counts> {
  const stored = (await browser.storage.session.get(KEY))[KEY] as Counts | undefined;
  return { ...(stored ?? {}) };
}

function total(counts: Counts): number {
  return Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
}
