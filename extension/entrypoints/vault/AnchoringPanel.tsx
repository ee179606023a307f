import { useEffect, useState } from 'preact/hooks';
import type { AnchoringStatus, RecordVerdict, VerifyAllPage } from '../../../shared/protocol/ui/anchoring';
import { ask } from '../../ui/messenger';
import { blockDate, verdictWords } from './anchoring-words';
import './anchoring.css';

const PAGE = 200;

interface Summary {
  checked: number;
  unchanged: number;
  problems: VerifyAllPage['problems'];
  missing?: VerifyAllPage['missing'];
  gone?: VerifyAllPage['gone'];
}

/**
 * Tamper evidence for the whole vault: how many records are anchored on chain, how many wait and why,
 * when the last batch went through, batches the chain has that this vault lacks, and "Verify all".
 */
export function AnchoringPanel() {
  const [status, setStatus] = useState<AnchoringStatus>();
  const [error, setError] = useState<string>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [summary, setSummary] = useState<Summary>();

  useEffect(() => {
    const load = () => ask({ type: 'anchoring.status' }).then((s) => (setStatus(s), setError(undefined)), (e: Error) => setError(e.message));
    void load();
    const timer = setInterval(() => void load(), 5_000);
    return () => clearInterval(timer);
  }, []);

  const verifyAll = async () => {
    setSummary(undefined);
    setError(undefined);
    const acc: Summary = { checked: 0, unchanged: 0, problems: [] };
    try {
      for (let offset = 0; ; ) {
        const page = await ask({ type: 'anchoring.verifyAll', offset, limit: PAGE });
        acc.checked += page.checked;
        acc.unchanged += page.counts.unchanged ?? 0;
        acc.problems.push(...page.problems);
        if (page.missing) acc.missing = page.missing;
        if (page.gone) acc.gone = page.gone;
        offset += page.checked;
        setProgress({ done: offset, total: page.total });
        if (page.done || page.checked === 0) break;
      }
      setSummary(acc);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <section class="sm-card sm-stack" aria-labelledby="anchoring-title" data-testid="anchoring-panel">
      <h2 id="anchoring-title">Tamper evidence</h2>
      <p class="sm-hint">
        Your vault anchors a fingerprint of your records on the chain, so any later change to a record can be detected. The chain sees
        only a fingerprint, a rounded-up count and a time — never your records.
      </p>
      {status && (
        <>
          <div class="anchor-counts">
            <span data-testid="anchored-count"><strong>{status.anchored.toLocaleString()}</strong> anchored</span>
            <span data-testid="waiting-count"><strong>{status.waiting.toLocaleString()}</strong> waiting</span>
          </div>
          {status.waiting > 0 && (
            <p class="sm-hint" data-testid="anchoring-reason">{status.reason ?? 'They go to the chain in the next batch, in the background.'}</p>
          )}
          <p class="sm-hint" data-testid="last-batch">
            {status.lastBatch
              ? `Last batch anchored ${blockDate(status.lastBatch.blockTime)}${status.lastBatch.blockNumber !== undefined ? ` in block ${status.lastBatch.blockNumber}` : ''}.`
              : 'No batch anchored yet.'}
          </p>
          {status.missing && <MissingWarning missing={status.missing} />}
          {status.chainMessage && status.chainMessage !== status.reason && <p class="sm-muted">{status.chainMessage}</p>}
        </>
      )}
      <div class="sm-row wrap">
        <button class="sm-button" disabled={!!progress} onClick={verifyAll}>Verify all</button>
        <button class="sm-button" disabled={!!progress} data-testid="anchor-now" onClick={() => void ask({ type: 'anchoring.run' }).then(setStatus, (e: Error) => setError(e.message))}>
          Anchor new records now
        </button>
      </div>
      {progress && (
        <div role="status" data-testid="verify-progress">
          <progress class="anchor-progress" max={progress.total} value={progress.done} />
          <span class="sm-hint">Verified {progress.done.toLocaleString()} of {progress.total.toLocaleString()}…</span>
        </div>
      )}
      {summary && <VerifySummary summary={summary} />}
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </section>
  );
}

function MissingWarning({ missing }: { missing: NonNullable<AnchoringStatus['missing']> }) {
  const latest = missing.reduce((a, b) => (b.blockTime > a.blockTime ? b : a));
  return (
    <p class="sm-alert" role="alert" data-testid="missing-batches">
      This vault is missing {missing.length === 1 ? 'a batch' : `${missing.length} batches`} your vault anchored (latest {blockDate(latest.blockTime)}, block{' '}
      {latest.blockNumber}). It is an older copy — restored from an old backup or an out-of-date replica — or another device anchored records this one does not
      have. Records added or changed since may be missing here or older.
    </p>
  );
}

function GoneWarning({ gone }: { gone: NonNullable<Summary['gone']> }) {
  const more = gone.count - gone.records.length;
  return (
    <div class="sm-alert sm-stack" role="alert" data-testid="gone-records">
      <p>
        {gone.count === 1 ? 'A record your vault anchored is' : `${gone.count.toLocaleString()} records your vault anchored are`} no longer in this vault. SecureMed
        never deletes a record on its own, so {gone.count === 1 ? 'it was' : 'they were'} removed outside SecureMed — or, if you use this vault on another device,{' '}
        {gone.count === 1 ? 'it has' : 'they have'} not been copied here yet. A backup or the network copies may still have {gone.count === 1 ? 'it' : 'them'}.
      </p>
      <ul class="sm-list anchor-problems" aria-label="Anchored records no longer in this vault">
        {gone.records.map((r) => (
          <li key={r.id} data-testid="gone-record">
            <strong>{r.title ?? 'A record without a title here'}</strong>
            <br />
            <span class="sm-hint">
              Version {r.version}
              {r.blockTime ? `, anchored ${blockDate(r.blockTime)}${r.blockNumber !== undefined ? ` in block ${r.blockNumber}` : ''}` : ''}
            </span>
          </li>
        ))}
        {more > 0 && <li class="sm-hint">and {more.toLocaleString()} more</li>}
      </ul>
    </div>
  );
}

function VerifySummary({ summary }: { summary: Summary }) {
  const bad = summary.problems.filter((p) => verdictWords(p.verdict).tone === 'bad');
  const pending = summary.problems.length - bad.length;
  return (
    <div class="sm-stack" data-testid="verify-summary">
      <p class={bad.length || summary.missing || summary.gone ? 'sm-alert' : 'sm-alert anchor-ok'} role="status">
        Verified {summary.checked.toLocaleString()} records: {summary.unchanged.toLocaleString()} unchanged
        {bad.length ? `, ${bad.length.toLocaleString()} changed after they were anchored` : ''}
        {pending ? `, ${pending.toLocaleString()} not anchored yet` : ''}.
      </p>
      {summary.missing && <MissingWarning missing={summary.missing} />}
      {summary.gone && <GoneWarning gone={summary.gone} />}
      {bad.length > 0 && (
        <ul class="sm-list anchor-problems" aria-label="Records changed after they were anchored">
          {bad.map((p) => (
            <li key={p.id} data-testid="verify-problem" data-state={p.verdict.state}>
              <strong>{p.title}</strong>
              <br />
              <span class="sm-hint">{verdictWords(p.verdict as RecordVerdict).text}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
