import { useEffect, useState } from 'preact/hooks';
import type { ReplicaNodeView, ReplicasStatus } from '../../../shared/protocol/ui/replicas';
import { ask } from '../../ui/messenger';
import './replicas.css';

const LABEL: Record<ReplicaNodeView['state'], string> = {
  current: 'Up to date',
  behind: 'Catching up',
  unreachable: 'Unreachable',
  damaged: 'Damaged data',
  refused: 'Refused',
  unchecked: 'Not checked yet',
};

function when(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function detail(node: ReplicaNodeView): string {
  if (node.state === 'unreachable' && node.unreachableSince) return `Unreachable since ${when(node.unreachableSince)}.`;
  if (node.state === 'current' && node.currentSince) {
    const refilled = node.refilled ? ` Last check: ${node.refilled.toLocaleString()} ${node.refilled === 1 ? 'part' : 'parts'} it lacked uploaded.` : '';
    return `Holds the latest version since ${when(node.currentSince)}.${refilled}`;
  }
  return node.message;
}

/**
 * Per storage node: does it hold the latest version of the encrypted copy, since when is it unreachable.
 * The copies are updated after each change and checked on a schedule; "Check now" runs that pass at once.
 */
export function ReplicasPanel() {
  const [status, setStatus] = useState<ReplicasStatus>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    ask({ type: 'replicas.status' }).then(setStatus, (e: Error) => setError(e.message));
    const timer = setInterval(() => void ask({ type: 'replicas.status' }).then(setStatus, () => undefined), 10_000);
    return () => clearInterval(timer);
  }, []);

  const check = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setStatus(await ask({ type: 'replicas.sync' }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sm-card sm-stack" aria-labelledby="replicas-title" data-testid="replicas-panel">
      <h2 id="replicas-title">Copies on storage nodes</h2>
      <p class="sm-hint">
        An encrypted copy of your vault is kept on independent storage nodes. They see only sizes and times, never your records.
        {status?.latest && ` Latest version: ${when(status.latest.createdAt)}.`}
      </p>
      {status && (
        <ul class="sm-list replicas-nodes" aria-label="Storage nodes">
          {status.nodes.map((node) => (
            <li key={node.url} class="sm-row" data-testid="replica-node" data-state={node.state}>
              <span class={`replica-dot ${node.state}`} aria-hidden="true" />
              <span class="sm-grow">
                <span class="sm-address">{node.url}</span>
                <br />
                <span class="sm-hint">{detail(node)}</span>
              </span>
              <span class="replica-state">{LABEL[node.state]}</span>
            </li>
          ))}
        </ul>
      )}
      {status?.note && <p class="sm-muted">{status.note}</p>}
      <div class="sm-row wrap">
        <button class="sm-button" disabled={busy} onClick={check} data-testid="replicas-check">
          {busy ? <><span class="sm-spinner" aria-hidden="true" /> Checking…</> : 'Check now'}
        </button>
        {status && <span class="sm-hint" data-testid="replicas-count">{status.current} of {status.total} copies current</span>}
      </div>
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </section>
  );
}
