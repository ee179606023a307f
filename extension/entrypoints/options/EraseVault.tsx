import { useState } from 'preact/hooks';
import { ask } from '../../ui/messenger';

/** Erasing needs the word ERASE typed in: no single click destroys a patient's records. */
export function EraseVault() {
  const [typed, setTyped] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  const erase = async () => {
    try {
      await ask({ type: 'vault.wipe', confirm: 'ERASE' });
      setDone(true);
    } catch (e) {
      setError((e as Error).message);
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
          {error && <p class="sm-alert" role="alert">{error}</p>}
          <div class="sm-actions">
            <button type="button" class="sm-button danger" disabled={typed !== 'ERASE'} onClick={erase}>Erase vault</button>
          </div>
        </>
      )}
    </fieldset>
  );
}
