import type { ThreadView } from '../../../shared/protocol/ui/messaging';
import { displayName, formatTime } from './api';

/** Conversations, newest first, with unread counts. Each row is one button. */
export function ThreadList(props: { threads: ThreadView[]; selected?: string; empty: string; onOpen(id: string): void }) {
  if (props.threads.length === 0) return <p class="messages-list-empty sm-muted">{props.empty}</p>;
  return (
    <ul class="messages-list" data-testid="thread-list">
      {props.threads.map((t) => (
        <li key={t.id}>
          <button class={`messages-row${t.id === props.selected ? ' selected' : ''}`} aria-current={t.id === props.selected ? 'true' : undefined} onClick={() => props.onOpen(t.id)}>
            <span class="messages-row-top">
              <span class="messages-row-name">{displayName(t)}</span>
              {t.lastMessageAt > 0 && <time class="messages-row-time" dateTime={new Date(t.lastMessageAt).toISOString()}>{formatTime(t.lastMessageAt)}</time>}
            </span>
            <span class="messages-row-bottom">
              <span class="messages-row-preview">{t.preview ?? 'No messages yet'}</span>
              {t.unread > 0 && <span class="messages-count" aria-label={`${t.unread} unread`} data-testid="unread">{t.unread}</span>}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
