import { useState } from 'preact/hooks';
import type { PermissionView, SiteView } from '../../../shared/protocol/ui/consent';
import { ask } from '../../ui/messenger';

/**
 * What the patient can do about a grant or revoke the network refused: read why, and try again. The
 * background re-signs it against the chain as it is now; the permission's state line then shows it on
 * its way. A refused revoke has already taken effect in SecureMed (the site sees nothing); only the
 * network has not been told yet, and the words say so.
 */
export function RetryPermission({ site, p, label, onChanged }: { site: SiteView; p: PermissionView; label: string; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const revoke = p.status === 'revoked';
  const tryAgain = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await ask({ type: 'consent.retry', origin: site.origin, grantee: p.grantee });
    } catch (e) {
      setError(`Could not try again: ${(e as Error).message}`);
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  return (
    <div class="sm-stack" data-testid="permission-refused">
      <p class="sm-alert" data-testid="permission-refused-words">
        {revoke ? 'You stopped this permission, and that already counts in SecureMed. ' : 'The provider cannot use this permission yet. '}
        {p.reason ?? (revoke ? 'Not removed from the network yet: it was refused.' : 'Not recorded on the network: it was refused.')}
      </p>
      <div class="sm-actions">
        <span class="sm-hint" role="status">{busy ? 'Sending it to the network again…' : ''}</span>
        <button type="button" class="sm-button primary" disabled={busy} aria-busy={busy} onClick={() => void tryAgain()} aria-label={`Try again: ${revoke ? 'remove from the network' : 'record on the network'} ${label}`}>
          {busy ? 'Trying again…' : 'Try again'}
        </button>
      </div>
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </div>
  );
}
