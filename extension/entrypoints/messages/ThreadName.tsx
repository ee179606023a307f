import { useEffect, useRef, useState } from 'preact/hooks';
import type { ThreadView } from '../../../shared/protocol/ui/messaging';
import { ask } from '../../ui/messenger';
import { displayName } from './api';

/**
 * The counterparty's name in the thread header, with "Rename": the button turns into a labelled input
 * (Enter saves, Escape cancels; empty shows the address again). Focus goes to the input, then back to
 * the button. The name is the patient's own label, kept encrypted in this browser only.
 */
export function ThreadName({ thread }: { thread: ThreadView }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (editing) input.current?.select();
    else if (returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [editing]);

  const close = () => {
    returnFocus.current = true;
    setError(undefined);
    setEditing(false);
  };
  const save = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await ask({ type: 'messaging.rename', threadId: thread.id, name: value.trim() });
      close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!editing) {
    return (
      <div class="thread-name">
        <h2 id="thread-name" data-testid="thread-name">{displayName(thread)}</h2>
        <button ref={button} type="button" class="sm-link" aria-describedby="thread-name" onClick={() => (setValue(thread.name ?? ''), setEditing(true))}>
          Rename
        </button>
      </div>
    );
  }
  return (
    <form class="thread-rename" onSubmit={(e) => (e.preventDefault(), void save())}>
      <label for="thread-rename-input">Contact name</label>
      <div class="thread-rename-row">
        <input
          id="thread-rename-input"
          ref={input}
          class="sm-input"
          value={value}
          maxLength={MAX_NAME}
          autoComplete="off"
          aria-describedby="thread-rename-hint"
          aria-invalid={!!error}
          onInput={(e) => setValue(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault();
            e.stopPropagation();
            close();
          }}
        />
        <button type="submit" class="sm-button primary" disabled={busy}>Save</button>
        <button type="button" class="sm-button" onClick={close}>Cancel</button>
      </div>
      <span id="thread-rename-hint" class="sm-hint">Only you see this name. Enter saves, Escape cancels; leave it empty to show the address.</span>
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </form>
  );
}

const MAX_NAME = 80;
