import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { MessagingSummary } from '../../../shared/protocol/ui/messaging';
import { ask } from '../../ui/messenger';

/**
 * Unread messages and message requests in the popup (owned by messaging). Counts only: no XMTP code
 * here, the popup bundle stays small; the Messages tab does the rest.
 */
export function MessagesSummary() {
  const [summary, setSummary] = useState<MessagingSummary>();
  useEffect(() => {
    ask({ type: 'messaging.summary' }).then(setSummary, () => undefined);
  }, []);
  const open = async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/messages.html') });
    window.close();
  };
  const unread = summary?.unread ?? 0;
  const requests = summary?.requests ?? 0;
  return (
    <section class="sm-card sm-row" aria-labelledby="messages-summary-title" data-testid="messages-summary">
      <div class="sm-grow">
        <h2 id="messages-summary-title">Messages</h2>
        <span class="sm-hint">
          {unread === 0 ? 'No unread messages' : `${unread} unread ${unread === 1 ? 'message' : 'messages'}`}
          {requests > 0 && ` · ${requests} ${requests === 1 ? 'request' : 'requests'}`}
        </span>
      </div>
      <button class="sm-button" onClick={open}>Open messages</button>
    </section>
  );
}
