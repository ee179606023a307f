import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { Limits } from '../../shared/protocol/limits';

/**
 * Who is talking to the background, decided from what the browser says about the sender, never from
 * the message. Pages reach us only through our own content script (sender.tab set, http(s) origin).
 */
export function pageOriginOf(sender: Browser.runtime.MessageSender | undefined): string | undefined {
  if (!sender || sender.id !== browser.runtime.id || !sender.tab) return undefined;
  const origin = sender.origin;
  if (!origin || origin === 'null' || origin.length > Limits.originChars) return undefined;
  if (!/^https?:\/\//.test(origin)) return undefined;
  return origin;
}

/** Extension pages (popup, vault tab, approval window) are trusted; content scripts are not. */
export function isExtensionPage(sender: Browser.runtime.MessageSender | undefined): boolean {
  if (!sender || sender.id !== browser.runtime.id || sender.tab?.url?.startsWith('http')) return false;
  return !!sender.url && sender.url.startsWith(browser.runtime.getURL('/'));
}
