import { useState } from 'preact/hooks';
import type { VaultState } from '../../shared/protocol/ui/vault';
import { ask } from './messenger';

/**
 * Unlocking takes about a second (scrypt): say so, and keep the field for another try on error.
 * Used by the popup, the vault tab and the approval window.
 */
export function Unlock({ onUnlocked }: { onUnlocked(s: VaultState): void }) {
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onUnlocked(await ask({ type: 'vault.unlock', passphrase }));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <form class="sm-card sm-stack" onSubmit={submit} aria-labelledby="unlock-title">
      <h1 id="unlock-title">Unlock your vault</h1>
      <p class="sm-muted">Your records and messages stay encrypted until you enter your passphrase.</p>
      <div class="sm-field">
        <label for="unlock-passphrase">Passphrase</label>
        <input id="unlock-passphrase" class="sm-input" type="password" autoComplete="current-password" autoFocus
          value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} aria-invalid={!!error} />
      </div>
      {error && <p class="sm-alert" role="alert">{error}</p>}
      <button class="sm-button primary" type="submit" disabled={busy}>
        {busy ? <><span class="sm-spinner" aria-hidden="true" /> Unlocking…</> : 'Unlock'}
      </button>
    </form>
  );
}
