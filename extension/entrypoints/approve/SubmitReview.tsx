import { useState } from 'preact/hooks';
import type { ApprovalView } from '../../../shared/protocol/ui/core';
import type { SubmitReviewItem } from '../../../shared/protocol/ui/submit';
import { SiteHeading } from './SiteHeading';
import './submit.css';

function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A site offers records for the vault (securemed_submit). Each one as the vault would show it (title,
 * kind, date, its readable fields; never raw JSON or the site's narrative), ticked by default, so the
 * patient can leave out any of them; records already in the vault are shown as such and not added
 * again. "Decline" has the focus; "Add N records" works once the window has been seen (armed).
 */
export function SubmitReview({ view, armed, busy, onChoose }: {
  view: ApprovalView;
  armed: boolean;
  busy: boolean;
  onChoose: (approve: boolean, keep?: number[]) => void;
}) {
  const review = view.submit!;
  const fresh = review.items.filter((i) => !i.duplicate);
  const [kept, setKept] = useState<Set<number>>(() => new Set(fresh.map((i) => i.index)));
  const toggle = (index: number, on: boolean) => {
    const next = new Set(kept);
    if (on) next.add(index);
    else next.delete(index);
    setKept(next);
  };
  const host = (() => {
    try {
      return new URL(view.origin).host;
    } catch {
      return view.origin;
    }
  })();
  const { grantee } = review;

  return (
    <section class="sm-card sm-stack" aria-labelledby="ask-title" data-testid="submit-review">
      <p class="sm-muted">This site</p>
      <SiteHeading origin={view.origin} />
      <h1 id="ask-title">wants to add {plural(review.items.length, 'record')} to your health records</h1>
      <p class={grantee.directory === 'verified' ? 'sm-alert info' : 'sm-alert warn'} data-testid="grantee-status">
        {grantee.directory === 'verified' ? <strong>Sent for a verified provider</strong> : <strong>{grantee.directory === 'unknown' ? 'Could not check the provider' : 'Not a verified provider'}</strong>}{' '}
        <span class="sm-address">{shortAddress(grantee.address)}</span>
      </p>

      <fieldset class="sm-stack submit-fieldset">
        <legend><h2>Choose what to add</h2></legend>
        <ul class="sm-list" aria-label="Records from this site">
          {review.items.map((item) => (
            <Item key={item.index} item={item} checked={kept.has(item.index)} onToggle={(on) => toggle(item.index, on)} />
          ))}
        </ul>
      </fieldset>

      {fresh.length === 0 ? (
        <p data-testid="nothing-new">All of these are already in your vault. Nothing new to add.</p>
      ) : (
        <p class="sm-hint">What you add is kept encrypted in your vault, with a note that {host} sent it and when.</p>
      )}
      {!armed && <p class="sm-hint" aria-live="polite">Read the records; the buttons work in a moment.</p>}
      <div class="sm-actions">
        <button class="sm-button" autoFocus disabled={busy} onClick={() => onChoose(false)}>Decline</button>
        <button
          class="sm-button primary"
          disabled={busy || !armed || (fresh.length > 0 && kept.size === 0)}
          aria-disabled={!armed}
          onClick={() => armed && onChoose(true, [...kept].sort((a, b) => a - b))}
        >
          {fresh.length === 0 ? 'OK' : `Add ${plural(kept.size, 'record')}`}
        </button>
      </div>
    </section>
  );
}

function Item({ item, checked, onToggle }: { item: SubmitReviewItem; checked: boolean; onToggle(on: boolean): void }) {
  const heading = (
    <span class="submit-heading">
      <strong>{item.title}</strong>
      <span class="sm-hint"> · {item.category}{item.date ? ` · ${item.date}` : ''}</span>
    </span>
  );
  return (
    <li class="submit-item" data-testid="submit-item" data-duplicate={item.duplicate ? 'true' : undefined}>
      {item.duplicate ? (
        <p class="sm-row submit-dup">
          {heading}
          <span class="sm-badge">Already in your vault</span>
        </p>
      ) : (
        <label class="sm-row submit-pick">
          <input type="checkbox" checked={checked} onChange={(e) => onToggle((e.target as HTMLInputElement).checked)} />
          {heading}
        </label>
      )}
      {item.fields.length > 0 && (
        <dl class="submit-fields">
          {item.fields.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {item.sensitive.length > 0 && <p class="sm-alert warn">Sensitive: {item.sensitive.join(', ')}.</p>}
    </li>
  );
}
