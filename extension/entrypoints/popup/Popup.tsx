import { useEffect, useState } from 'preact/hooks';
import { Logo } from '../../ui/Logo';
import { ask } from '../../ui/messenger';

interface Status {
  version: string;
  workerStartedAt: number;
  connectedSites: number;
}

/** Toolbar popup: the patient's first glance. Shows what the background reports, never guesses. */
export function Popup() {
  const [status, setStatus] = useState<Status>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    ask<Status>({ type: 'ui.status' }).then(setStatus, (e: Error) => setError(e.message));
  }, []);

  return (
    <main class="sm-page">
      <header class="sm-header">
        <Logo />
        <span class="sm-title">SecureMed</span>
        {status && <span class="sm-muted" data-testid="version" data-worker-started={status.workerStartedAt}>v{status.version}</span>}
      </header>
      {error && <p class="sm-alert" role="alert">{error}</p>}
      <section class="sm-card" aria-live="polite">
        <h1>Your health records, your keys</h1>
        {status ? (
          <p class="sm-muted" data-testid="status">
            SecureMed is running. {status.connectedSites === 0 ? 'No sites are connected.' : `${status.connectedSites} site${status.connectedSites === 1 ? '' : 's'} connected.`}
          </p>
        ) : (
          !error && <p class="sm-muted">Starting…</p>
        )}
      </section>
    </main>
  );
}
