import { useState } from 'preact/hooks';
import type { ReceivedContent } from '../../../shared/messaging/content';
import type { MessageView } from '../../../shared/protocol/ui/messaging';
import { ask } from '../../ui/messenger';
import { formatTime } from './api';

/** One message: its content, time and, for our own, the delivery state (with Retry when it failed). */
export function MessageItem({ message }: { message: MessageView }) {
  const [retrying, setRetrying] = useState(false);
  const retry = async () => {
    setRetrying(true);
    try {
      await ask({ type: 'messaging.retry', messageId: message.id });
    } finally {
      setRetrying(false);
    }
  };
  return (
    <li class={`bubble ${message.mine ? 'mine' : 'theirs'} ${message.delivery}`} data-testid="message" data-delivery={message.delivery}>
      <Content content={message.content} />
      <div class="bubble-meta">
        <time dateTime={new Date(message.sentAt).toISOString()}>{formatTime(message.sentAt)}</time>
        {message.mine && message.delivery === 'sending' && <span>· Sending…</span>}
        {message.mine && message.delivery === 'sent' && <span>· Sent</span>}
        {message.mine && message.delivery === 'failed' && (
          <span class="bubble-failed" role="status">
            · Not sent{' '}
            <button class="sm-link" onClick={retry} disabled={retrying}>{retrying ? 'Retrying…' : 'Retry'}</button>
          </span>
        )}
      </div>
    </li>
  );
}

function Content({ content }: { content: ReceivedContent }) {
  if (content.type === 'text') return <p class="bubble-text">{content.text}</p>;
  if (content.type === 'unsupported') return <p class="bubble-text sm-muted">This message uses a format this version of SecureMed cannot show.</p>;
  const v = content.value;
  if (v.kind === 'access-request') {
    return (
      <div class="bubble-card">
        <strong>Access request</strong>
        <span>Purpose: {v.purpose}</span>
        <span>Asks for: {v.scopes.join(', ')}</span>
        {v.note && <span>{v.note}</span>}
      </div>
    );
  }
  return (
    <div class="bubble-card">
      <strong>Shared records</strong>
      <span>{v.title} ({v.recordCount} {v.recordCount === 1 ? 'record' : 'records'})</span>
    </div>
  );
}
