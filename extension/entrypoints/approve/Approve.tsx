import { useEffect, useState } from 'preact/hooks';
import type { ApprovalView, PermissionChoice } from '../../../shared/protocol/ui/core';
import type { VaultState } from '../../../shared/protocol/ui/vault';
import { Logo } from '../../ui/Logo';
import { ask } from '../../ui/messenger';
import { Unlock } from '../../ui/Unlock';
import { useArmed } from './armed';
import { PermissionAsk } from './PermissionAsk';
import { SiteHeading } from './SiteHeading';
import { SubmitReview } from './SubmitReview';

/** What the site asks, in the line shown above the unlock form. */
const ASKING: Record<ApprovalView['kind'], string> = {
  connect: 'is asking to connect',
  permissions: 'is asking to see some of your records',
  submit: 'wants to add records to your vault',
};

/**
 * The approval window. It leads with the site's origin (from the browser, not the site's own claims)
 * and says in plain words what saying yes does. "Don't allow" has the focus: the safe choice is the
 * easy one, and Escape or closing the window also declines.
 */
export function Approve({ approvalId }: { approvalId: string }) {
  const [view, setView] = useState<ApprovalView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [vault, setVault] = useState<VaultState>();
  const armed = useArmed();

  useEffect(() => {
    ask({ type: 'ui.approval.get', approvalId }).then(setView, (e: Error) => setError(e.message));
    ask({ type: 'vault.state' }).then(setVault, (e: Error) => setError(e.message));
  }, [approvalId]);

  const choose = async (approve: boolean, choice?: PermissionChoice, keep?: number[]) => {
    if (approve && !armed) return; // a click or Enter before the window was seen does not approve
    setBusy(true);
    try {
      await ask({ type: 'ui.approval.decide', approvalId, approve, ...(choice ? { choice } : {}), ...(keep ? { keep } : {}) });
      window.close();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  // Decline, and refuse this site's requests from now on without a window (undone in Sharing).
  const block = async () => {
    setBusy(true);
    try {
      await ask({ type: 'ui.approval.decide', approvalId, approve: false, block: true });
      window.close();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  // No vault yet: the patient may set one up in another tab and come back to answer here.
  useEffect(() => {
    if (vault?.status !== 'none') return;
    const timer = setInterval(() => void ask({ type: 'vault.state' }).then(setVault, () => undefined), 1500);
    return () => clearInterval(timer);
  }, [vault?.status]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && void choose(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <main class="sm-page">
      <header class="sm-header">
        <Logo />
        <span class="sm-title">SecureMed</span>
      </header>
      {error && <p class="sm-alert" role="alert">{error}</p>}
      {view && vault?.status === 'locked' && (
        <>
          <p class="sm-alert info"><span class="sm-origin">{view.origin}</span> {ASKING[view.kind]}. Unlock SecureMed to answer.</p>
          <Unlock onUnlocked={setVault} />
        </>
      )}
      {view && vault?.status === 'none' && (
        <section class="sm-card sm-stack" aria-labelledby="ask-title" data-testid="no-vault">
          <p class="sm-muted">This site</p>
          <SiteHeading origin={view.origin} />
          <h1 id="ask-title">{view.kind === 'permissions' ? 'asks to see some of your health records' : 'wants to connect to SecureMed'}</h1>
          <p>SecureMed is not set up in this browser yet, so there is nothing to share.</p>
          <p class="sm-hint">If you want to use SecureMed with this site, set it up first (it takes a few minutes), then come back to this window to answer. Otherwise say no: the site is told only that you declined.</p>
          <div class="sm-actions">
            <button class="sm-button" autoFocus disabled={busy} onClick={() => choose(false)}>Don't allow</button>
            <button class="sm-button primary" disabled={busy} onClick={() => window.open(`${location.origin}/popup.html`, '_blank')}>Set up SecureMed</button>
          </div>
        </section>
      )}
      {view && vault?.status === 'unlocked' && view.kind === 'permissions' && (
        <PermissionAsk view={view} armed={armed} busy={busy} onChoose={(approve, choice) => void choose(approve, choice)} />
      )}
      {view && vault?.status === 'unlocked' && view.kind === 'submit' && view.submit && (
        <SubmitReview view={view} armed={armed} busy={busy} onChoose={(approve, keep) => void choose(approve, undefined, keep)} />
      )}
      {view && vault?.status === 'unlocked' && view.kind === 'connect' && (
        <section class="sm-card" aria-labelledby="ask-title">
          <p class="sm-muted">This site</p>
          <SiteHeading origin={view.origin} />
          <h1 id="ask-title">wants to connect to SecureMed</h1>
          <p>Connecting lets this site ask you for access later. It does not share any of your records.</p>
          <p class="sm-hint">The site gets its own SecureMed account number, so it can't link you to other sites you use.</p>
          <p class="sm-hint">Only allow sites you know, such as your hospital's patient portal.</p>
          <div class="sm-actions">
            <button class="sm-button" autoFocus disabled={busy} onClick={() => choose(false)}>Don't allow</button>
            <button class="sm-button primary" disabled={busy || !armed} onClick={() => choose(true)}>Allow</button>
          </div>
        </section>
      )}
      {view && vault?.status === 'unlocked' && (
        <p class="sm-hint approve-block">
          Don't want this site to ask again?{' '}
          <button class="sm-button" disabled={busy} onClick={() => void block()}>Block this site</button>
        </p>
      )}
    </main>
  );
}
