import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { MessagingChanged, type ThreadView } from '../../../shared/protocol/ui/messaging';

// The views the background returns are declared in shared/protocol/ui/messaging.ts; this file holds
// what the Messages page's components share.

/** Re-run `refresh` whenever the background says messaging changed (parsed; anything else is ignored). */
export function useMessagingChanges(refresh: () => void): void {
  useEffect(() => {
    const listener = (raw: unknown) => {
      if (MessagingChanged.safeParse(raw).success) refresh();
      return undefined; // never answer: other pages' requests are for the background
    };
    browser.runtime.onMessage.addListener(listener);
    return () => browser.runtime.onMessage.removeListener(listener);
  }, [refresh]);
}

export function displayName(t: Pick<ThreadView, 'name' | 'peer'>): string {
  return t.name ?? `${t.peer.slice(0, 6)}…${t.peer.slice(-4)}`;
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** "14:05" today, "3 Mar, 14:05" otherwise. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return sameDay(d, new Date()) ? time : `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
}
