import { useState } from 'preact/hooks';
import { MessagingLimits } from '../../../shared/messaging/content';
import { ask } from '../../ui/messenger';

/** Write and send: Enter sends, Shift+Enter starts a new line. */
export function Compose({ threadId, onSent }: { threadId: string; onSent(): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const value = text.trim();
    if (!value || busy) return;
    setBusy(true);
    setError(undefined);
    // Cleared at once: the message appears in the thread as "Sending…", and Retry handles failures.
    setText('');
    try {
      await ask({ type: 'messaging.send', threadId, content: { type: 'text', text: value } });
      onSent();
    } catch (e) {
      setText(value);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="compose" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <label class="sm-visually-hidden" for="compose-text">Message</label>
      <textarea
        id="compose-text"
        class="sm-input compose-text"
        rows={2}
        maxLength={MessagingLimits.textChars}
        placeholder="Write a message"
        aria-describedby="compose-hint"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      <button class="sm-button primary" type="submit" disabled={!text.trim() || busy}>Send</button>
      <span id="compose-hint" class="sm-hint compose-hint">Enter to send · Shift+Enter for a new line · End-to-end encrypted</span>
      {error && <p class="sm-alert compose-error" role="alert">{error}</p>}
    </form>
  );
}
