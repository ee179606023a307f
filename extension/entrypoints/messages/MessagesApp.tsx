import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Logo } from '../../ui/Logo';
import { onVaultLocked } from '../../ui/activity';
import type { Connection, ThreadsView } from '../../../shared/protocol/ui/messaging';
import { latestOnly } from '../../ui/latest';
import { ask, UiError } from '../../ui/messenger';
import { useMessagingChanges } from './api';
import { BlockedList } from './BlockedList';
import { InviteCard } from './InviteCard';
import { NewConversation } from './NewConversation';
import { ThreadList } from './ThreadList';
import { ThreadPane } from './ThreadPane';

type Tab = 'inbox' | 'requests';
/** What the right-hand pane shows besides a thread. */
type Panel = 'new' | 'invite' | undefined;

/** The Messages tab: conversations (inbox / requests) on the left, the open thread or a new one on the right. */
export function MessagesApp() {
  const [data, setData] = useState<ThreadsView>();
  const [locked, setLocked] = useState(false);
  const [error, setError] = useState<string>();
  const [tab, setTab] = useState<Tab>('inbox');
  const [selected, setSelected] = useState<string>();
  const [panel, setPanel] = useState<Panel>();

  // Overlapping refreshes (start, "changed" events): only the newest answer is shown (ui/latest.ts).
  const newestThreads = useMemo(() => latestOnly(() => ask({ type: 'messaging.threads' })), []);
  const refresh = useCallback(() => {
    newestThreads().then(
      (d) => d && (setData(d), setLocked(false), setError(undefined)),
      (e: UiError) => (e.code === 'locked' ? setLocked(true) : setError(e.message)),
    );
  }, []);
  useEffect(refresh, [refresh]);
  // The vault locked: drop every conversation on screen at once.
  useEffect(
    () =>
      onVaultLocked(() => {
        setData(undefined);
        setSelected(undefined);
        setPanel(undefined);
        setLocked(true);
      }),
    [],
  );
  useMessagingChanges(refresh);
  // While locked nothing announces the unlock: look again now and then (a passive request).
  useEffect(() => {
    if (!locked) return;
    const timer = setInterval(refresh, 3000);
    return () => clearInterval(timer);
  }, [locked, refresh]);

  if (locked) {
    return (
      <main class="messages-locked sm-card sm-stack">
        <header class="sm-header"><Logo /><h1 class="sm-title">Messages</h1></header>
        <p role="status">Your vault is locked. Unlock SecureMed from its toolbar button; your messages appear here once it is open.</p>
      </main>
    );
  }
  if (!data) return <main class="messages-loading"><p class="sm-muted" role="status">{error ?? 'Loading your messages…'}</p></main>;

  const inbox = data.threads.filter((t) => t.consent === 'allowed');
  const requests = data.threads.filter((t) => t.consent === 'request');
  const current = data.threads.find((t) => t.id === selected);
  const open = (id: string) => (setSelected(id), setPanel(undefined));
  const show = (p: Panel) => (setPanel(p), setSelected(undefined));

  return (
    <div class="messages">
      <header class="messages-top sm-header">
        <Logo />
        <h1 class="sm-title">Messages</h1>
        <ConnectionNote connection={data.connection} />
        <button class="sm-button" onClick={() => show('invite')}>Invite a doctor</button>
        <button class="sm-button primary" onClick={() => show('new')}>New conversation</button>
      </header>
      <nav class="messages-side" aria-label="Conversations">
        <div class="messages-tabs" role="tablist">
          <TabButton id="inbox" label="Inbox" count={inbox.reduce((n, t) => n + t.unread, 0)} tab={tab} setTab={setTab} />
          <TabButton id="requests" label="Requests" count={requests.length} tab={tab} setTab={setTab} />
        </div>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          <ThreadList threads={tab === 'inbox' ? inbox : requests} selected={selected} onOpen={open} empty={tab === 'inbox' ? 'No conversations yet. Start one with “New conversation”, or show a doctor an invite.' : 'No message requests. Messages from people you have not accepted appear here.'} />
          {tab === 'requests' && <BlockedList blocked={data.blocked} />}
        </div>
      </nav>
      <section class="messages-main" aria-label="Conversation">
        {panel === 'new' ? (
          <NewConversation onStarted={(id) => (setTab('inbox'), open(id), refresh())} onCancel={() => setPanel(undefined)} />
        ) : panel === 'invite' ? (
          <InviteCard onClose={() => setPanel(undefined)} />
        ) : current ? (
          <ThreadPane key={current.id} thread={current} onLeft={() => setSelected(undefined)} />
        ) : (
          <p class="messages-empty sm-muted">Choose a conversation.</p>
        )}
      </section>
    </div>
  );
}

function TabButton(props: { id: Tab; label: string; count: number; tab: Tab; setTab(t: Tab): void }) {
  const active = props.tab === props.id;
  return (
    <button role="tab" id={`tab-${props.id}`} aria-selected={active} aria-controls={`panel-${props.id}`} class={`messages-tab${active ? ' active' : ''}`} onClick={() => props.setTab(props.id)} data-testid={`tab-${props.id}`}>
      {props.label}
      {props.count > 0 && <span class="messages-count" aria-label={`${props.count} new`}>{props.count}</span>}
    </button>
  );
}

function ConnectionNote({ connection }: { connection: Connection }) {
  if (connection.state === 'online') return <span class="sm-badge" role="status">Connected</span>;
  if (connection.state === 'connecting' || connection.state === 'locked') return <span class="sm-badge locked" role="status">Connecting…</span>;
  return <span class="sm-badge warn" role="status" title={connection.error}>Messaging node unreachable</span>;
}
