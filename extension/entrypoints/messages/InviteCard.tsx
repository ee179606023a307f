import { useState } from 'preact/hooks';
import { ask, UiError } from '../../ui/messenger';
import { QrCode } from './QrCode';

/**
 * The patient shows an invite: a link and its QR code carrying a messaging address made for this one
 * relationship (shared/messaging/invite.ts). The doctor pastes or scans it in their own SecureMed.
 */
export function InviteCard({ onClose }: { onClose(): void }) {
  const [name, setName] = useState('');
  const [invite, setInvite] = useState<{ link: string; expiresAt: number }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setInvite(await ask({ type: 'messaging.invite', ...(name.trim() ? { name: name.trim() } : {}) }));
    } catch (e) {
      setError((e as UiError).message);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    if (!invite) return;
    await navigator.clipboard.writeText(invite.link).then(() => setCopied(true), () => setError('Copying did not work here. Select the link and copy it yourself.'));
  };

  if (!invite) {
    return (
      <form class="sm-card sm-stack invite" onSubmit={(e) => (e.preventDefault(), void create())} noValidate>
        <h2>Invite a doctor</h2>
        <p class="sm-muted invite-lead">
          Your doctor scans a code or opens a link, and you talk from an address made only for them. Other doctors cannot tell it is you.
        </p>
        <div class="sm-field">
          <label for="invite-name">Who is it for? (optional)</label>
          <input id="invite-name" class="sm-input" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. Dr. Rivera" autoFocus />
          <span class="sm-hint">Only you see this name. It is not in the link.</span>
        </div>
        {error && <p class="sm-alert" role="alert">{error}</p>}
        <div class="sm-actions">
          <button type="button" class="sm-button" onClick={onClose}>Cancel</button>
          <button type="submit" class="sm-button primary" disabled={busy}>{busy ? 'Creating…' : 'Create invite'}</button>
        </div>
      </form>
    );
  }

  const until = new Date(invite.expiresAt).toLocaleString(undefined, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  return (
    <section class="sm-card sm-stack invite" aria-labelledby="invite-title">
      <h2 id="invite-title">{name.trim() ? `Invite for ${name.trim()}` : 'Your invite'}</h2>
      <div class="invite-body">
        <QrCode text={invite.link} label="QR code of the invite link" />
        <ol class="invite-steps">
          <li>Ask your doctor to scan this code, or send them the link below.</li>
          <li>In their SecureMed, they choose <strong>New conversation</strong> and paste it.</li>
          <li>Their first message appears in your inbox{name.trim() ? ` as ${name.trim()}` : ''}.</li>
        </ol>
      </div>
      <div class="sm-field">
        <label for="invite-link">Invite link</label>
        <div class="invite-link-row">
          <input id="invite-link" class="sm-input sm-address" value={invite.link} readOnly onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="sm-button" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy link'}</button>
        </div>
      </div>
      <p class="sm-alert info" role="status">
        Valid until {until}. The first person to use it can write to you, so give it only to your doctor.
      </p>
      {error && <p class="sm-alert" role="alert">{error}</p>}
      <div class="sm-actions">
        <button type="button" class="sm-button" onClick={() => (setInvite(undefined), setName(''), setCopied(false))}>New invite</button>
        <button type="button" class="sm-button primary" onClick={onClose}>Done</button>
      </div>
    </section>
  );
}
