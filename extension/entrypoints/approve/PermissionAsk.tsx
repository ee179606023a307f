import { useState } from 'preact/hooks';
import type { ApprovalView, PermissionChoice } from '../../../shared/protocol/ui/core';
import { SiteHeading } from './SiteHeading';

const DAY_CHOICES = [1, 7, 30, 90, 365];

function dateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}

function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

/**
 * A site asks for access to records. In this order: the site, who receives the access (and whether the
 * licensing directory vouches for them), what (categories in words; sensitive ones off unless ticked),
 * why, until when (can be shortened), and that it costs nothing.
 */
export function PermissionAsk({ view, armed, busy, onChoose }: {
  view: ApprovalView;
  armed: boolean;
  busy: boolean;
  onChoose: (approve: boolean, choice?: PermissionChoice) => void;
}) {
  const ask = view.ask!;
  const [kept, setKept] = useState<Set<string>>(() => new Set(ask.categories.filter((c) => !c.sensitive).map((c) => c.name)));
  const [days, setDays] = useState(ask.durationDays);
  const toggle = (name: string, on: boolean) => {
    const next = new Set(kept);
    if (on) next.add(name);
    else next.delete(name);
    setKept(next);
  };
  const { grantee } = ask;
  const licence = grantee.licenceExpiresAt ? new Date(grantee.licenceExpiresAt * 1000).toLocaleDateString(undefined, { month: 'long', year: 'numeric' }) : undefined;
  const nothingKept = kept.size === 0 && !ask.write;

  return (
    <section class="sm-card sm-stack" aria-labelledby="ask-title">
      <p class="sm-muted">This site</p>
      <SiteHeading origin={view.origin} />
      <h1 id="ask-title">asks to see some of your health records</h1>

      <h2>Who gets access</h2>
      {grantee.directory === 'verified' ? (
        <p class="sm-alert info" data-testid="grantee-status">
          <strong>Verified provider</strong> <span class="sm-address">{shortAddress(grantee.address)}</span>
          {licence && <> — licence valid until {licence}</>}
        </p>
      ) : (
        <p class="sm-alert warn" role="alert" data-testid="grantee-status">
          <strong>{grantee.directory === 'unknown' ? 'Could not check this provider' : 'Not a verified provider'}</strong>{' '}
          <span class="sm-address">{shortAddress(grantee.address)}</span> —{' '}
          {grantee.directory === 'unknown'
            ? 'the provider directory could not be reached, so nobody vouches for them right now.'
            : 'no licensing body vouches for them. Only allow this if you know who they are.'}
        </p>
      )}

      <fieldset class="sm-stack">
        <legend><h2>What they could see</h2></legend>
        {ask.categories.map((c) => (
          <label key={c.name} class="sm-row">
            <input type="checkbox" checked={kept.has(c.name)} onChange={(e) => toggle(c.name, (e.target as HTMLInputElement).checked)} />
            <span>{c.label}{c.sensitive && <em> — sensitive, only if you tick it</em>}</span>
          </label>
        ))}
        {ask.write && <p class="sm-hint">They could also add new records to your vault (you review each one first).</p>}
      </fieldset>

      <h2>Why</h2>
      <p data-testid="purpose">{ask.purpose.words}</p>

      <h2>Until when</h2>
      <label class="sm-field">
        <span>Access ends on <strong data-testid="expiry">{dateIn(days)}</strong></span>
        <select class="sm-input" value={days} aria-label="How long access lasts" onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
          {DAY_CHOICES.filter((d) => d <= ask.durationDays).concat(DAY_CHOICES.includes(ask.durationDays) ? [] : [ask.durationDays]).map((d) => (
            <option key={d} value={d}>{d === 1 ? '1 day' : `${d} days`}</option>
          ))}
        </select>
      </label>

      <p class="sm-hint">This costs you nothing. You can stop it at any time in SecureMed, under Sharing.</p>
      {!armed && <p class="sm-hint" aria-live="polite">Read the request; the buttons work in a moment.</p>}
      <div class="sm-actions">
        <button class="sm-button" autoFocus disabled={busy} onClick={() => onChoose(false)}>Don't allow</button>
        <button
          class="sm-button primary"
          disabled={busy || !armed || nothingKept}
          aria-disabled={!armed}
          onClick={() => armed && onChoose(true, { categories: [...kept], durationDays: days })}
        >
          Allow
        </button>
      </div>
    </section>
  );
}
