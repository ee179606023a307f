import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MessageView, ThreadPage, ThreadView, Verification } from '../../../shared/protocol/ui/messaging';
import { latestOnly } from '../../ui/latest';
import { ask } from '../../ui/messenger';
import { displayName, useMessagingChanges } from './api';
import { Compose } from './Compose';
import { MessageItem } from './MessageItem';
import { ThreadName } from './ThreadName';

/** One conversation: who (name, address, directory status), consent choice for requests, messages, compose. */
export function ThreadPane({ thread, onLeft }: { thread: ThreadView; onLeft(): void }) {
  const [messages, setMessages] = useState<MessageView[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [me, setMe] = useState<ThreadPage['me']>();
  const [error, setError] = useState<string>();
  const logRef = useRef<HTMLOListElement>(null);

  // A click and a "changed" event overlap: only the newest answer is shown (ui/latest.ts).
  const newestPage = useMemo(() => latestOnly(() => ask({ type: 'messaging.thread', threadId: thread.id })), [thread.id]);
  const load = useCallback(async () => {
    try {
      const page = await newestPage();
      if (!page) return;
      // Keep older pages the patient loaded; replace the newest page with the fresh one. A page without
      // more before it is the whole thread (a message sent offline is replaced by one with a new id).
      setMessages((old) => {
        const first = page.messages[0]?.sentAt ?? Infinity;
        const older = page.hasMore ? old.filter((m) => m.sentAt < first && !page.messages.some((p) => p.id === m.id)) : [];
        return [...older, ...page.messages];
      });
      setHasMore((h) => h || page.hasMore);
      setMe(page.me);
      if (page.thread.unread > 0 && page.thread.consent === 'allowed') await ask({ type: 'messaging.read', threadId: thread.id });
    } catch (e) {
      setError((e as Error).message);
    }
  }, [thread.id, newestPage]);
  useEffect(() => void load(), [load]);
  useMessagingChanges(load);
  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  const loadEarlier = async () => {
    const page = await ask({ type: 'messaging.thread', threadId: thread.id, before: messages[0]!.sentAt });
    setMessages((old) => [...page.messages, ...old]);
    setHasMore(page.hasMore);
  };

  const decide = async (decision: 'accept' | 'block') => {
    await ask({ type: 'messaging.consent', threadId: thread.id, decision });
    if (decision === 'block') onLeft();
  };

  return (
    <div class="thread">
      <header class="thread-head">
        <div class="sm-grow">
          <ThreadName thread={thread} />
          <div class="sm-address">{thread.peer}</div>
          {me && <YouAppearAs me={me} />}
        </div>
        <VerificationBadge peer={thread.peer} />
      </header>
      {thread.consent === 'request' && (
        <div class="sm-alert warn sm-stack thread-request" role="region" aria-label="Message request">
          <span>You have not accepted messages from this address. Accept to move the conversation to your inbox, or block to drop its messages.</span>
          <div class="sm-actions">
            <button class="sm-button" onClick={() => decide('block')}>Block</button>
            <button class="sm-button primary" onClick={() => decide('accept')}>Accept</button>
          </div>
        </div>
      )}
      {error && <p class="sm-alert" role="alert">{error}</p>}
      {hasMore && <button class="sm-link thread-earlier" onClick={loadEarlier}>Show earlier messages</button>}
      <div class="thread-log" role="log" aria-live="polite" aria-label={`Messages with ${displayName(thread)}`} data-testid="thread-log">
        <ol class="thread-items" ref={logRef}>
          {messages.map((m) => <MessageItem key={m.id} message={m} />)}
        </ol>
      </div>
      <Compose threadId={thread.id} onSent={load} />
    </div>
  );
}

const VERIFICATION_TEXT: Record<Verification, string> = {
  verified: 'Verified provider',
  unverified: 'Not a verified provider',
  unavailable: 'Verification unavailable',
};

/** The on-chain directory's answer; "unavailable" when the chain does not answer (never a guess). */
function VerificationBadge({ peer }: { peer: string }) {
  const [status, setStatus] = useState<Verification>();
  useEffect(() => {
    ask({ type: 'messaging.verification', peer }).then((r) => setStatus(r.status), () => setStatus('unavailable'));
  }, [peer]);
  if (!status) return <span class="sm-badge locked">Checking directory…</span>;
  return <span class={`sm-badge verification ${status}`} data-testid="verification" title="From the on-chain provider directory">{VERIFICATION_TEXT[status]}</span>;
}

/** Which of the patient's addresses this counterparty sees (a private one is theirs alone). */
function YouAppearAs({ me }: { me: ThreadPage['me'] }) {
  const short = `${me.address.slice(0, 6)}…${me.address.slice(-4)}`;
  return (
    <p class="thread-me" data-testid="thread-me" title={me.address}>
      {me.private ? `They see you as ${short}, an address used only in this conversation.` : `They see you as ${short}, your main messaging address.`}
    </p>
  );
}
