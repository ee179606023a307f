import { browser } from 'wxt/browser';
import { isVaultLocked } from '../../shared/protocol/ui-events';
import { ask } from './messenger';

/**
 * Auto-lock counts only the patient's own input: a key or a click that the browser marks as trusted,
 * in a page that is visible and focused. Messages arriving in a hidden tab, timers and polling never
 * count. At most one report per ACTIVITY_EVERY_MS.
 */
export const ACTIVITY_EVERY_MS = 15_000;

export function watchActivity(): void {
  let last = 0;
  const onInput = (event: Event) => {
    if (!event.isTrusted || document.visibilityState !== 'visible' || !document.hasFocus()) return;
    const now = Date.now();
    if (now - last < ACTIVITY_EVERY_MS) return;
    last = now;
    ask({ type: 'ui.activity' }).catch(() => undefined); // a locked vault or a restarting worker: nothing to postpone
  };
  for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, onInput, { capture: true, passive: true });
}

/** Run `onLocked` when the background says the vault locked (the page must drop what it shows). */
export function onVaultLocked(onLocked: () => void): () => void {
  const listener = (raw: unknown) => {
    if (isVaultLocked(raw)) onLocked();
    return undefined; // never answer: requests are for the background
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
