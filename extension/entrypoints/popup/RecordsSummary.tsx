import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { RecordsSummary as Summary } from '../../../shared/protocol/ui/records';
import { ask } from '../../ui/messenger';

// Kept local (not the vault page's labels module) so the popup bundle stays tiny: no zod, no Dexie.
const LABELS: Record<string, string> = {
  labs: 'Lab results', vitals: 'Vital signs', medications: 'Medications', conditions: 'Conditions', allergies: 'Allergies',
  immunizations: 'Immunizations', procedures: 'Procedures', documents: 'Documents', notes: 'Notes', encounters: 'Visits',
  imaging: 'Imaging', demographics: 'About you', other: 'Other',
};

/** Record counts, the three most recent items, and the way into the vault tab. */
export function RecordsSummary() {
  const [summary, setSummary] = useState<Summary>();
  useEffect(() => {
    ask({ type: 'records.summary' }).then(setSummary, () => undefined);
  }, []);
  const open = () => browser.tabs.create({ url: browser.runtime.getURL('/vault.html') });

  return (
    <section class="sm-card sm-stack" aria-labelledby="records-summary-title" data-testid="records-summary">
      <h2 id="records-summary-title">Health records</h2>
      {summary && summary.total === 0 && <p class="sm-muted">No records yet.</p>}
      {summary && summary.total > 0 && (
        <>
          <p>
            <strong>{summary.total.toLocaleString()}</strong> {summary.total === 1 ? 'record' : 'records'}
            <span class="sm-hint">
              {' · '}
              {Object.entries(summary.byCategory)
                .map(([c, n]) => `${LABELS[c] ?? c} ${n.toLocaleString()}`)
                .join(' · ')}
            </span>
          </p>
          <ul class="sm-list" aria-label="Most recent">
            {summary.recent.map((r) => (
              <li key={r.id} class="sm-row">
                <span class="sm-grow">{r.title}</span>
                {r.date && <span class="sm-hint">{r.date.slice(0, 10)}</span>}
              </li>
            ))}
          </ul>
          {summary.backup.due && <p class="sm-alert warn">Remember to save an encrypted backup.</p>}
        </>
      )}
      <button class="sm-button primary" onClick={open}>Open my records</button>
    </section>
  );
}
