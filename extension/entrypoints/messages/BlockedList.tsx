import { useState } from 'preact/hooks';
import type { BlockedView } from '../../../shared/protocol/ui/messaging';
import { ask } from '../../ui/messenger';
import { displayName } from './api';

/**
 * Blocked conversations, under Requests: who they are and "Unblock", which moves the conversation back
 * to Requests. Their messages are not shown; the ones sent while blocked were dropped and stay dropped.
 */
export function BlockedList({ blocked }: { blocked: BlockedView[] }) {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  if (blocked.length === 0) return null;

  const unblock = async (id: string) => {
    setBusy(id);
    setError(undefined);
    try {
      await ask({ type: 'messaging.consent', threadId: id, decision: 'unblock' });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section class="messages-blocked" aria-labelledby="blocked-heading" data-testid="blocked-list">
      <h2 id="blocked-heading" class="messages-blocked-title">Blocked</h2>
      <p class="sm-hint">Messages from these addresses are dropped. Unblocking moves the conversation back to Requests; what they sent while blocked is not shown.</p>
      <ul class="messages-list">
        {blocked.map((t) => (
          <li key={t.id} class="messages-blocked-row">
            <span class="messages-blocked-who">
              <span id={`blocked-${t.id}`} class="messages-row-name">{displayName(t)}</span>
              {t.name && <span class="sm-address messages-blocked-address">{t.peer}</span>}
            </span>
            <button type="button" class="sm-button" aria-describedby={`blocked-${t.id}`} disabled={busy === t.id} onClick={() => void unblock(t.id)}>
              {busy === t.id ? 'Unblocking…' : 'Unblock'}
            </button>
          </li>
        ))}
      </ul>
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </section>
  );
}
