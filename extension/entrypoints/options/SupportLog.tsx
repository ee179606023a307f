import { useState } from 'preact/hooks';
import type { SupportLogEntry } from '../../../shared/protocol/ui/core';
import { ask } from '../../ui/messenger';

/**
 * "Something silently did nothing": the support log shows which part of SecureMed survived an error and
 * what kind it was. It never holds health data, keys, addresses or message text, so it can be copied
 * to someone helping the patient.
 */
export function SupportLog() {
  const [entries, setEntries] = useState<SupportLogEntry[]>();
  const [copied, setCopied] = useState(false);
  const load = () => ask({ type: 'support.log' }).then((r) => setEntries(r.entries), () => setEntries([]));
  const asText = (list: SupportLogEntry[]) =>
    list.map((e) => `${new Date(e.at).toISOString()}  ${e.area}: ${e.what} (${e.kind})${e.count > 1 ? ` ×${e.count}` : ''}`).join('\n');
  return (
    <fieldset>
      <legend>Support log</legend>
      <p class="sm-muted">Problems SecureMed worked around, for whoever helps you. It contains no health information, keys or messages.</p>
      {entries === undefined ? (
        <div class="sm-actions">
          <button type="button" class="sm-button" onClick={load}>Show support log</button>
        </div>
      ) : (
        <>
          {entries.length === 0 ? (
            <p role="status" data-testid="support-log-empty">Nothing has gone wrong recently.</p>
          ) : (
            <pre class="support-log" data-testid="support-log" tabIndex={0} aria-label="Support log entries">{asText(entries)}</pre>
          )}
          <div class="sm-actions">
            {entries.length > 0 && (
              <button type="button" class="sm-button" onClick={() => void navigator.clipboard.writeText(asText(entries)).then(() => setCopied(true))}>
                {copied ? 'Copied' : 'Copy'}
              </button>
            )}
            {entries.length > 0 && (
              <button type="button" class="sm-button" onClick={() => void ask({ type: 'support.clear' }).then(load)}>Clear</button>
            )}
          </div>
        </>
      )}
    </fieldset>
  );
}
