import { useState } from 'preact/hooks';
import { looksLikeInvite, readInvite } from '../../../shared/messaging/invite';
import { ask, UiError } from '../../ui/messenger';

/**
 * Start a conversation with an address (a doctor's SecureMed account) or an invite link someone showed
 * us (shared/messaging/invite.ts: checked here for a quick answer, and again in the background); an
 * optional name to recognise it by.
 */
export function NewConversation({ onStarted, onCancel }: { onStarted(threadId: string): void; onCancel(): void }) {
  const [peer, setPeer] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const named = name.trim() ? { name: name.trim() } : {};
      let threadId: string;
      if (looksLikeInvite(peer)) {
        const check = readInvite(peer);
        if (!check.ok) throw new UiError('invalid', check.error);
        ({ threadId } = await ask({ type: 'messaging.join', invite: peer.trim(), ...named }));
      } else {
        ({ threadId } = await ask({ type: 'messaging.start', peer: peer.trim(), ...named }));
      }
      onStarted(threadId);
    } catch (error) {
      const e = error as UiError; // ask() only throws UiError
      // A malformed address comes back as `invalid` with the schema's own message for the field.
      setError(e.code === 'invalid' ? (e.fields.peer ?? e.message) : e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="sm-card sm-stack new-conversation" onSubmit={(e) => (e.preventDefault(), void start())} noValidate>
      <h2>New conversation</h2>
      <div class="sm-field">
        <label for="new-peer">Address or invite link</label>
        <input id="new-peer" class="sm-input sm-address" value={peer} onInput={(e) => setPeer(e.currentTarget.value)} placeholder="0x… or securemed://invite?…" autoComplete="off" spellcheck={false} aria-describedby="new-peer-hint" aria-invalid={!!error} autoFocus />
        <span id="new-peer-hint" class="sm-hint">Their SecureMed account address, as shown in their extension, or the invite link a patient showed you.</span>
      </div>
      <div class="sm-field">
        <label for="new-name">Name (optional)</label>
        <input id="new-name" class="sm-input" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. Dr. Rivera" />
      </div>
      {error && <p class="sm-alert" role="alert">{error}</p>}
      <div class="sm-actions">
        <button type="button" class="sm-button" onClick={onCancel}>Cancel</button>
        <button type="submit" class="sm-button primary" disabled={busy || !peer.trim()}>{busy ? 'Starting…' : 'Start conversation'}</button>
      </div>
    </form>
  );
}
