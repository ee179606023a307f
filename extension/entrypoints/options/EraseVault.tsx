import { useEffect, useState } from 'preact/hooks';
import { onVaultLocked } from '../../ui/activity';
import { ask } from '../../ui/messenger';

/**
 * Erasing needs the word ERASE typed in (no single click destroys a patient's records), and, while the
 * vault is locked, the passphrase: someone passing by a locked browser cannot erase it.
 */
export function EraseVault() {
  const [typed, setTyped] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [locked, setLocked] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  const check = () => ask({ type: 'vault.state' }).then((s) => setLocked(s.status === 'locked'), () => undefined);
  useEffect(() => {
    void check();
    return onVaultLocked(() => setLocked(true));
  }, []);
  const erase = async () => {
    setError(undefined);
    try {
      await ask({ type: 'vault.wipe', confirm: 'ERASE', ...(locked ? { passphrase } : {}) });
      setDone(true);
    } catch (e) {
      setError((e as Error).message);
      void check();
    }
  };
  return (
    <fieldset class="danger">
      <legend>Erase this vault</legend>
      {done ? (
        <p class="sm-alert info" role="status">Everything SecureMed stored in this browser was erased.</p>
      ) : (
        <>
          <p>This deletes your encrypted records, keys and settings from this browser. Without your recovery phrase they cannot be restored.</p>
          <div class="sm-field">
            <label for="erase-confirm">Type ERASE to confirm</label>
            <input id="erase-confirm" class="sm-input" autoComplete="off" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          </div>
          {locked && (
            <div class="sm-field">
              <label for="erase-passphrase">Your passphrase (your vault is locked)</label>
              <input id="erase-passphrase" class="sm-input" type="password" autoComplete="current-password" value={passphrase}
                onInput={(e) => setPassphrase(e.currentTarget.value)} />
            </div>
          )}
          {error && <p class="sm-alert" role="alert">{error}</p>}
          <div class="sm-actions">
            <button type="button" class="sm-button danger" disabled={typed !== 'ERASE' || (locked && !passphrase)} onClick={erase}>Erase vault</button>
          </div>
        </>
      )}
    </fieldset>
  );
}
