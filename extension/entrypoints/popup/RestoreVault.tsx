import { useState } from 'preact/hooks';
import type { VaultState } from '../../../shared/protocol/ui/vault';
import { ask } from '../../ui/messenger';
import { PassphraseFields, passphraseProblem } from '../../ui/PassphraseFields';
import { NetworkRestore } from './NetworkRestore';

/** Restore from the 12 or 24 words; the background says precisely what is wrong with a bad phrase. */
export function RestoreVault({ onDone, onCancel }: { onDone(s: VaultState): void; onCancel(): void }) {
  const [phrase, setPhrase] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Restored from the phrase: offer the records' way back from the storage nodes before going home.
  const [restored, setRestored] = useState<VaultState>();

  const submit = async (e: Event) => {
    e.preventDefault();
    const problem = phrase.trim() ? passphraseProblem(passphrase, confirm) : 'Please enter your recovery phrase.';
    if (problem) return setError(problem);
    setBusy(true);
    setError(undefined);
    try {
      setRestored(await ask({ type: 'vault.restore', phrase, passphrase }));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  if (restored) return <NetworkRestore onDone={() => onDone(restored)} />;

  return (
    <form class="sm-card sm-stack" onSubmit={submit} aria-labelledby="restore-title">
      <h1 id="restore-title">Restore your vault</h1>
      <div class="sm-field">
        <label for="restore-phrase">Recovery phrase</label>
        <textarea id="restore-phrase" class="sm-input" rows={3} autoComplete="off" spellcheck={false} autoCapitalize="off"
          aria-describedby="restore-hint" value={phrase} onInput={(e) => setPhrase(e.currentTarget.value)} />
        <span id="restore-hint" class="sm-hint">The 12 or 24 words, in order, separated by spaces.</span>
      </div>
      <p class="sm-muted">Choose a passphrase to unlock SecureMed in this browser.</p>
      <PassphraseFields passphrase={passphrase} confirm={confirm} onPassphrase={setPassphrase} onConfirm={setConfirm} error={error} />
      <div class="sm-actions">
        <button type="button" class="sm-button" onClick={onCancel}>Back</button>
        <button type="submit" class="sm-button primary" disabled={busy}>
          {busy ? <><span class="sm-spinner" aria-hidden="true" /> Restoring…</> : 'Restore'}
        </button>
      </div>
    </form>
  );
}
