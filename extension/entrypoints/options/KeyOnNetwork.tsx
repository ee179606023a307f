import { useEffect, useRef, useState } from 'preact/hooks';
import type { KeyPublicationView } from '../../../shared/protocol/ui/chain';
import { shortAddress } from '../../ui/format';
import { ask, UiError } from '../../ui/messenger';

/** Ask often while something is on its way, rarely otherwise. */
const FAST_MS = 1_500;
const SLOW_MS = 10_000;

function seconds(at: number | undefined): string | undefined {
  if (at === undefined) return undefined;
  const s = Math.round((at - Date.now()) / 1000);
  if (s <= 1) return 'Trying again now.';
  return s < 90 ? `Next try in about ${s} seconds.` : `Next try in about ${Math.round(s / 60)} minutes.`;
}

/**
 * "Your encryption key on the network": is the patient's public encryption key in the on-chain
 * directory, and a button that queues its gasless publication. The state comes from the background
 * (chain + transaction queue) in words; nothing here signs or talks to the chain.
 */
export function KeyOnNetwork() {
  const [view, setView] = useState<KeyPublicationView>();
  const [locked, setLocked] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const refresh = async () => {
    clearTimeout(timer.current);
    let next = SLOW_MS;
    try {
      const v = await ask({ type: 'chain.keyStatus' });
      setView(v);
      setLocked(undefined);
      if (v.state === 'publishing') next = FAST_MS;
    } catch (error) {
      const e = error as UiError;
      if (e.code === 'locked') setLocked(e.message);
      else if (e.code === 'restarting') next = FAST_MS; // the worker is coming back: ask again soon
      else setProblem(e.message);
    }
    timer.current = setTimeout(() => void refresh(), next);
  };
  useEffect(() => {
    void refresh();
    return () => clearTimeout(timer.current);
  }, []);

  const act = async (request: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await request();
    } catch (error) {
      setProblem((error as UiError).message);
    } finally {
      setBusy(false);
      void refresh();
    }
  };
  const publish = () => act(() => ask({ type: 'chain.publishKey' }));
  const retry = (id: string) => act(() => ask({ type: 'chain.retry', id }));

  return (
    <section class="key-on-network" aria-labelledby="key-on-network-title">
      <h2 id="key-on-network-title">Your encryption key on the network</h2>
      <p>
        Doctors use your public encryption key to send you records that only you can open. Publishing it costs you nothing: a
        relayer pays the network fee. It reveals a public key and your SecureMed account address, no health data.
      </p>
      <div class="key-status" role="status" aria-live="polite" data-testid="key-status">
        {locked ? <span class="sm-muted">{locked}</span> : view ? <Status view={view} /> : <span class="sm-muted">Checking the network…</span>}
      </div>
      {problem && <p class="sm-alert" data-testid="key-problem">{problem}</p>}
      {view && !locked && (
        <div class="sm-actions">
          {view.state === 'failed' && view.action ? (
            <button type="button" class="sm-button primary" disabled={busy} onClick={() => retry(view.action!.id)}>Retry</button>
          ) : view.state !== 'published' ? (
            <button type="button" class="sm-button primary" disabled={busy || view.state === 'publishing'} onClick={publish}>
              Publish my encryption key
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}

function Status({ view }: { view: KeyPublicationView }) {
  const { action } = view;
  switch (view.state) {
    case 'published':
      return (
        <>
          <strong>Published.</strong>{' '}
          {action?.state === 'confirmed' && action.txHash ? (
            <span>
              Transaction <code title={action.txHash} data-testid="key-tx">{shortAddress(action.txHash)}</code>
              {action.blockNumber !== undefined && <> in block {action.blockNumber}</>}.
            </span>
          ) : (
            <span class="sm-muted">Your key is in the directory.</span>
          )}
          {view.chainMessage && <span class="sm-muted"> {view.chainMessage}</span>}
        </>
      );
    case 'publishing':
      return (
        <>
          <span class="sm-spinner" aria-hidden="true" /> <strong>Publishing…</strong>{' '}
          {action?.state === 'submitted' ? <span>Sent to the relayer, waiting for the network to confirm it.</span> : <span>Signed and queued.</span>}
          {action?.reason && <span class="sm-muted"> {action.reason} {seconds(action.nextAttemptAt)}</span>}
        </>
      );
    case 'failed':
      return (
        <>
          <strong>Not published.</strong> <span>{action?.reason ?? 'The network did not accept it.'}</span>
        </>
      );
    case 'unknown':
      return (
        <>
          <strong>Cannot check right now.</strong> <span class="sm-muted">{view.chainMessage}</span>
        </>
      );
    default:
      return (
        <>
          <strong>Not published yet.</strong>
          {view.chainMessage && <span class="sm-muted"> {view.chainMessage}</span>}
        </>
      );
  }
}
