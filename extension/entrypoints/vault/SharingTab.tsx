import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ConsentSummary, PermissionView, SiteView } from '../../../shared/protocol/ui/consent';
import { ask } from '../../ui/messenger';
import { ConfirmDialog } from './ConfirmDialog';
import { RetryPermission } from './RetryPermission';

/**
 * The consent manager: every connected site, who receives access, what, why, until when, and where the
 * grant is on the network. Revoke one, disconnect a site, or stop everything. Revoking takes effect in
 * SecureMed at once; the network follows within seconds (shown per permission).
 */
const STATUS_WORDS: Record<PermissionView['status'], string> = {
  pending: 'Being recorded on the network (SecureMed keeps trying; nothing for you to do)',
  active: 'Active',
  revoked: 'Stopped',
  expired: 'Expired',
  failed: 'Not recorded',
};
const CHAIN_WORDS: Record<PermissionView['chain'], string> = {
  granting: 'sending to the network…',
  granted: 'on the network',
  revoking: 'removing from the network…',
  revoked: 'removed from the network',
  failed: 'the network refused it',
};

/** `now` is the chain's time when it answers (expiry is the chain's decision), else this computer's. */
function untilWords(expiresAt: number, now: number): string {
  const days = Math.ceil((expiresAt * 1000 - now) / 86_400_000);
  const date = new Date(expiresAt * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
  return days > 0 ? `until ${date} (${days} day${days === 1 ? '' : 's'} left)` : `ended ${date}`;
}

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** "Ends in 2 days (Sat 28 Nov)": the calm line next to a permission that ends within 3 days. */
function endsWords(expiresAt: number, now: number): string {
  const days = Math.max(1, Math.ceil((expiresAt * 1000 - now) / 86_400_000));
  const date = new Date(expiresAt * 1000).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
  return `Ends in ${days} day${days === 1 ? '' : 's'} (${date})`;
}

/**
 * Renew for 30 days, or Narrow (keep fewer categories, then renew): a new grant for the same provider
 * and purpose, sent to the network like any approved request (the state line shows it arriving).
 */
function EndsSoon({ site, p, now, onChanged }: { site: SiteView; p: PermissionView; now: number; onChanged: () => void }) {
  const [narrowing, setNarrowing] = useState(false);
  const [kept, setKept] = useState<string[]>(() => p.choices.map((c) => c.name));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const renew = async (categories?: string[]) => {
    setBusy(true);
    setError(undefined);
    try {
      await ask({ type: 'consent.renew', origin: site.origin, grantee: p.grantee, ...(categories ? { categories } : {}) });
      setNarrowing(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  return (
    <div class="sm-stack" data-testid="permission-reminder">
      <p class="sm-alert info" data-testid="permission-ends">{endsWords(p.expiresAt, now)}</p>
      {!narrowing ? (
        <div class="sm-actions">
          <button class="sm-button primary" disabled={busy} onClick={() => void renew()} aria-label={`Renew for 30 days: ${short(p.grantee)} on ${site.domain}`}>
            Renew for 30 days
          </button>
          {p.choices.length > 1 && (
            <button class="sm-button" disabled={busy} onClick={() => setNarrowing(true)}>
              Narrow
            </button>
          )}
        </div>
      ) : (
        <fieldset class="sm-stack" data-testid="narrow">
          <legend>Keep sharing only these, for 30 days from today:</legend>
          {p.choices.map((c) => (
            <label key={c.name} class="sm-row">
              <input
                type="checkbox"
                checked={kept.includes(c.name)}
                onChange={(e) => setKept((k) => ((e.target as HTMLInputElement).checked ? [...k, c.name] : k.filter((n) => n !== c.name)))}
              />{' '}
              {c.label}
            </label>
          ))}
          <div class="sm-actions">
            <button class="sm-button primary" disabled={busy || kept.length === 0} onClick={() => void renew(kept)}>
              Renew with these
            </button>
            <button class="sm-button" disabled={busy} onClick={() => setNarrowing(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </div>
  );
}

function Permission({ site, p, now, onChanged }: { site: SiteView; p: PermissionView; now: number; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    await ask({ type: 'consent.revoke', origin: site.origin, grantee: p.grantee }).finally(() => setBusy(false));
    onChanged();
  };
  return (
    <li class="sm-card sm-stack sharing-permission" data-testid="permission">
      <p>
        <strong>{p.directory === 'verified' ? 'Verified provider' : p.directory === 'unknown' ? 'Provider (could not check)' : 'Unverified provider'}</strong>{' '}
        <span class="sm-address">{short(p.grantee)}</span>
      </p>
      <p>Can see: {p.categories.join(', ')}</p>
      <p>Why: {p.purpose}</p>
      <p data-testid="permission-until">{untilWords(p.expiresAt, now)}</p>
      <p data-testid="permission-state">
        {p.status === 'revoked' && p.chain === 'failed' ? 'Stopped here — not yet removed from the network' : `${STATUS_WORDS[p.status]} — ${CHAIN_WORDS[p.chain]}`}
        {p.txHash && <> (transaction <span class="sm-address">{short(p.txHash)}</span>)</>}
      </p>
      {p.chain === 'failed' ? (
        <RetryPermission site={site} p={p} label={`${short(p.grantee)} on ${site.domain}`} onChanged={onChanged} />
      ) : (
        p.reason && <p class="sm-hint">{p.reason}</p>
      )}
      {p.endsSoon && <EndsSoon site={site} p={p} now={now} onChanged={onChanged} />}
      {p.status !== 'revoked' && p.status !== 'expired' && (
        <div class="sm-actions">
          <button class="sm-button danger" disabled={busy} onClick={() => void revoke()} aria-label={`Stop sharing with ${short(p.grantee)} on ${site.domain}`}>
            Stop sharing
          </button>
        </div>
      )}
    </li>
  );
}

export function SharingTab() {
  const [summary, setSummary] = useState<ConsentSummary>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => ask({ type: 'consent.sites' }).then(setSummary, (e: Error) => setError(e.message)), []);
  useEffect(() => {
    void load();
    // The network confirms within seconds: keep the states fresh while the tab is open.
    const timer = setInterval(() => void load(), 1500);
    return () => clearInterval(timer);
  }, [load]);

  const [confirming, setConfirming] = useState<{ title: string; body: string; confirm: string; run: () => Promise<unknown> }>();
  if (error) return <p class="sm-alert" role="alert">{error}</p>;
  if (!summary) return <p class="sm-muted">Opening…</p>;
  const disconnect = (site: SiteView) =>
    setConfirming({
      title: `Disconnect ${site.domain}?`,
      body: `${site.origin} will no longer see any of your records, and it will have to ask you again before it can connect.`,
      confirm: 'Disconnect',
      run: () => ask({ type: 'consent.disconnect', origin: site.origin }),
    });
  const revokeAll = () =>
    setConfirming({
      title: 'Stop all sharing?',
      body: `Every site listed here (${summary.sites.length}) loses access to your records now. Sites stay connected and can ask you again.`,
      confirm: 'Stop all sharing',
      run: () => ask({ type: 'consent.revokeAll' }),
    });
  const unblock = async (origin: string) => {
    await ask({ type: 'consent.unblock', origin });
    void load();
  };
  return (
    <section class="sm-stack" aria-labelledby="sharing-title">
      <h2 id="sharing-title">Who can see your records</h2>
      {summary.pendingRequests > 0 && <p class="sm-alert info">{summary.pendingRequests} request(s) waiting for your answer.</p>}
      {summary.sites.length === 0 && <p class="sm-muted">No site is connected. Sites ask you first; you decide in a SecureMed window.</p>}
      {summary.sites.map((site) => (
        <article key={site.origin} class="sm-card sm-stack" aria-label={`Site ${site.origin}`} data-testid="site">
          <h3>
            <strong>{site.domain}</strong> <span class="sm-muted">{site.origin}</span>
          </h3>
          <p class="sm-hint">
            Connected {new Date(site.connectedAt).toLocaleDateString()} · last used {new Date(site.lastUsedAt).toLocaleString()}
          </p>
          {site.permissions.length === 0 ? (
            <p class="sm-muted">Connected, but sees none of your records.</p>
          ) : (
            <ul class="sm-list sm-stack">
              {site.permissions.map((p) => <Permission key={p.grantee} site={site} p={p} now={summary.now} onChanged={() => void load()} />)}
            </ul>
          )}
          <div class="sm-actions">
            <button class="sm-button" onClick={() => disconnect(site)}>Disconnect this site</button>
          </div>
        </article>
      ))}
      {summary.sites.length > 0 && (
        <div class="sm-actions">
          <button class="sm-button danger" onClick={revokeAll}>Stop all sharing</button>
        </div>
      )}
      {summary.blocked.length > 0 && (
        <section class="sm-card sm-stack" aria-labelledby="blocked-title" data-testid="blocked">
          <h3 id="blocked-title">Blocked sites</h3>
          <p class="sm-hint">These sites cannot ask you anything; their requests are turned down without a window.</p>
          <ul class="sm-list sm-stack">
            {summary.blocked.map((origin) => (
              <li key={origin} class="sm-row">
                <span class="sm-origin">{origin}</span>
                <button class="sm-button" aria-label={`Unblock ${origin}`} onClick={() => void unblock(origin)}>Unblock</button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {confirming && (
        <ConfirmDialog
          title={confirming.title}
          body={confirming.body}
          confirm={confirming.confirm}
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => {
            const { run } = confirming;
            setConfirming(undefined);
            void run().finally(() => void load());
          }}
        />
      )}
    </section>
  );
}
