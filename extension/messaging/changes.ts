import { browser } from 'wxt/browser';
import { MESSAGING_CHANGED } from '../../shared/protocol/ui/messaging';
import { allThreads } from './history';
import type { MessagingKeys } from './keys';
import { setBadge } from './notify';

/**
 * Tell open extension pages that messaging changed (they re-ask for their view), and recount the
 * badge. Debounced: a catch-up that stores fifty messages sends one event.
 */
let timer: ReturnType<typeof setTimeout> | undefined;

export function announceChange(): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    // No page open means no receiver: that is not an error.
    browser.runtime.sendMessage({ type: MESSAGING_CHANGED }).catch(() => undefined);
  }, 50);
}

/** Unread messages in the inbox plus conversations waiting in Requests. */
export async function counts(keys: MessagingKeys): Promise<{ unread: number; requests: number }> {
  let unread = 0;
  let requests = 0;
  for (const t of await allThreads(keys)) {
    if (t.consent === 'allowed') unread += t.unread;
    else if (t.consent === 'request') requests += 1;
  }
  return { unread, requests };
}

export async function refreshBadge(keys: MessagingKeys): Promise<void> {
  const c = await counts(keys);
  await setBadge(c.unread + c.requests);
}
