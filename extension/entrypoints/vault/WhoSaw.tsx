import { useEffect, useState } from 'preact/hooks';
import type { WhoSaw as WhoSawReply } from '../../../shared/protocol/ui/audit';
import { ask } from '../../ui/messenger';

/** "Who saw this" in a record's detail: the sites that read this record, and when (the audit trail). */
export function WhoSaw({ id }: { id: string }) {
  const [who, setWho] = useState<WhoSawReply>();
  useEffect(() => {
    let live = true;
    setWho(undefined);
    ask({ type: 'audit.whoSaw', id }).then((w) => live && setWho(w), () => undefined);
    return () => void (live = false);
  }, [id]);
  if (!who) return null;
  return (
    <div class="who-saw" data-testid="who-saw">
      <h3>Who saw this</h3>
      {who.sites.length === 0 ? (
        <p class="sm-hint">No website has read this record.</p>
      ) : (
        <ul>
          {who.sites.map((s) => (
            <li key={s.origin}>
              <strong>{new URL(s.origin).host}</strong> — {s.times === 1 ? 'once' : `${s.times} times`}, last on {new Date(s.last).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
