import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ConsentSummary } from '../../../shared/protocol/ui/consent';
import { ask } from '../../ui/messenger';

/** One line in the popup: how many sites see records, and requests waiting; the Sharing tab does the rest. */
export function SharingSummary() {
  const [summary, setSummary] = useState<ConsentSummary>();
  useEffect(() => {
    ask({ type: 'consent.sites' }).then(setSummary, () => undefined);
  }, []);
  const open = async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/vault.html#sharing') });
    window.close();
  };
  const sharing = summary?.sites.filter((s) => s.permissions.some((p) => p.status === 'active' || p.status === 'pending')).length ?? 0;
  const waiting = summary?.pendingRequests ?? 0;
  return (
    <section class="sm-card sm-row" aria-labelledby="sharing-summary-title" data-testid="sharing-summary">
      <div class="sm-grow">
        <h2 id="sharing-summary-title">Sharing</h2>
        <span class="sm-hint">
          {sharing === 0 ? 'No site can see your records' : `${sharing} ${sharing === 1 ? 'site can' : 'sites can'} see some of your records`}
          {waiting > 0 && ` · ${waiting} waiting for you`}
        </span>
      </div>
      <button class="sm-button" onClick={open}>Manage sharing</button>
    </section>
  );
}
