import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { AuditLine } from '../../../shared/protocol/ui/audit';
import { ask } from '../../ui/messenger';

/** The popup's last few accesses by websites (the Activity tab has the rest). Light: words only. */
export function ActivitySummary() {
  const [lines, setLines] = useState<AuditLine[]>();
  useEffect(() => {
    // "Is SecureMed there?" checks say nothing about the patient's records: the popup skips them.
    ask({ type: 'audit.list', limit: 20 }).then((l) => setLines(l.lines.filter((x) => x.method !== 'securemed_status').slice(0, 3)), () => undefined);
  }, []);
  if (!lines || lines.length === 0) return null;
  const open = async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/vault.html#activity') });
    window.close();
  };
  return (
    <section class="sm-card sm-stack" aria-labelledby="activity-summary-title" data-testid="activity-summary">
      <div class="sm-row">
        <h2 id="activity-summary-title" class="sm-grow">Recent activity</h2>
        <button class="sm-button" onClick={open}>See all</button>
      </div>
      <ul class="sm-hint" style={{ margin: 0, paddingLeft: '1.1rem' }}>
        {lines.map((l) => <li key={l.id}>{l.text}</li>)}
      </ul>
    </section>
  );
}
