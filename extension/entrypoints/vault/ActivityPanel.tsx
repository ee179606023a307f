import { useEffect, useState } from 'preact/hooks';
import type { AuditList, ChainActivity } from '../../../shared/protocol/ui/audit';
import { ask } from '../../ui/messenger';
import './activity.css';

/**
 * The Activity tab: every request a website made to SecureMed, newest first, in plain words
 * ("patient-portal.localhost read 12 records — allowed"), filterable by site and period, and the
 * download of the same (filtered) list as a FHIR Bundle of AuditEvents for another system.
 */
type Period = 'day' | 'week' | 'month' | 'all';
const PERIODS: Array<{ id: Period; label: string; ms?: number }> = [
  { id: 'day', label: 'Last 24 hours', ms: 86_400_000 },
  { id: 'week', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: 'month', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { id: 'all', label: 'All time' },
];
const PAGE = 200;

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

export function ActivityPanel() {
  const [origin, setOrigin] = useState('');
  const [period, setPeriod] = useState<Period>('all');
  const [limit, setLimit] = useState(PAGE);
  const [list, setList] = useState<AuditList>();
  const [error, setError] = useState<string>();
  const [withChain, setWithChain] = useState(false);

  const filter = () => {
    const ms = PERIODS.find((p) => p.id === period)?.ms;
    return { ...(origin ? { origin } : {}), ...(ms ? { since: Date.now() - ms } : {}) };
  };
  useEffect(() => {
    let live = true;
    ask({ type: 'audit.list', ...filter(), limit, ...(withChain ? { chain: true } : {}) }).then((l) => live && (setList(l), setError(undefined)), (e: Error) => live && setError(e.message));
    return () => void (live = false);
  }, [origin, period, limit, withChain]);

  const download = async () => {
    try {
      const file = await ask({ type: 'audit.export', ...filter() });
      (await import('./backup-file')).download(file.fileName, file.text, 'application/fhir+json');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section class="sm-card sm-stack activity" aria-labelledby="activity-title" data-testid="activity">
      <h2 id="activity-title">Activity</h2>
      <p class="sm-hint">Every request a website made to SecureMed, whether it was allowed or not. Repeated identical requests within 10 minutes are shown once, with how many times.</p>
      <div class="sm-row wrap activity-filters">
        <label>
          Site{' '}
          <select class="sm-input" value={origin} onChange={(e) => (setOrigin((e.target as HTMLSelectElement).value), setLimit(PAGE))} data-testid="activity-site">
            <option value="">All sites</option>
            {list?.origins.map((o) => <option key={o} value={o}>{hostOf(o)}</option>)}
          </select>
        </label>
        <label>
          Period{' '}
          <select class="sm-input" value={period} onChange={(e) => (setPeriod((e.target as HTMLSelectElement).value as Period), setLimit(PAGE))} data-testid="activity-period">
            {PERIODS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
          </select>
        </label>
        <button class="sm-button" onClick={download} disabled={!list || list.total === 0}>Download as FHIR (AuditEvent Bundle)</button>
      </div>
      <ChainChoice on={withChain} onChange={(on) => (setWithChain(on), setLimit(PAGE))} about={list?.chain} />
      {error && <p class="sm-alert" role="alert">{error}</p>}
      {!list && !error && <p class="sm-muted">Opening…</p>}
      {list && list.total === 0 && <p class="sm-muted" data-testid="activity-empty">No website has asked SecureMed for anything{origin || period !== 'all' ? ' with these filters' : ' yet'}.</p>}
      {list && list.lines.length > 0 && (
        <ol class="activity-list" data-testid="activity-list">
          {list.lines.map((l) => (
            <li key={l.id} class={`activity-line ${l.outcome}${l.source === 'chain' ? ' chain' : ''}`} data-outcome={l.outcome} data-method={l.method} data-source={l.source ?? 'vault'}>
              <span class="activity-text">
                {l.source === 'chain' && <span class="activity-tag">Blockchain</span>}
                {l.text}
              </span>
              <time class="sm-hint" dateTime={new Date(l.last).toISOString()}>
                {formatTime(l.first) === formatTime(l.last) ? formatTime(l.last) : `${formatTime(l.first)} – ${formatTime(l.last)}`}
              </time>
            </li>
          ))}
        </ol>
      )}
      {list && list.total > list.lines.length && (
        <button class="sm-button" onClick={() => setLimit(limit + PAGE)}>Show older ({list.total - list.lines.length} more)</button>
      )}
    </section>
  );
}

/**
 * Turning on the chain's consent events asks the configured RPC about each site account. Said in words
 * before the patient turns it on, and what was asked after.
 */
function ChainChoice({ on, onChange, about }: { on: boolean; onChange: (on: boolean) => void; about?: ChainActivity }) {
  return (
    <div class="activity-chain sm-stack">
      <label>
        <input type="checkbox" checked={on} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} data-testid="activity-chain" /> Also show
        permissions recorded on the blockchain (given, withdrawn, requested, emergency access)
      </label>
      <p class="sm-hint" id="activity-chain-note">
        To show them, SecureMed asks the blockchain service in your settings about each site's account, one account per question. Whoever runs that
        service could still link the questions, by their timing and your internet address, and so learn which sites you use. Your own node
        (Settings) avoids that.
      </p>
      {on && about && !about.error && (
        <p class="sm-hint" role="status" data-testid="activity-chain-status">
          Asked {about.rpc} about {about.accounts} site {about.accounts === 1 ? 'account' : 'accounts'}.
        </p>
      )}
      {on && about?.error && (
        <p class="sm-alert" role="alert" data-testid="activity-chain-status">
          The blockchain events could not be read from {about.rpc}: {about.error} Your own activity below is complete.
        </p>
      )}
    </div>
  );
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
