import { useCallback, useEffect, useState } from 'preact/hooks';
import type { RecordsSummary } from '../../../shared/protocol/ui/records';
import type { VaultState } from '../../../shared/protocol/ui/vault';
import { LockBadge } from '../../ui/LockBadge';
import { Logo } from '../../ui/Logo';
import { ask } from '../../ui/messenger';
import { Unlock } from '../../ui/Unlock';
import { onVaultLocked } from '../../ui/activity';
import { AnchoringPanel } from './AnchoringPanel';
import { BackupPanel } from './BackupPanel';
import { ImportPanel } from './ImportPanel';
import { RecordBrowser } from './RecordBrowser';
import { RecordDetail } from './RecordDetail';
import { ReplicasPanel } from './ReplicasPanel';
import { SharingTab } from './SharingTab';
import { ActivityPanel } from './ActivityPanel';
import { panelId, SectionTabs, tabId, type SectionTab } from './SectionTabs';
import { recordsSummary, vaultState } from './prefetch';

type Section = 'records' | 'sharing' | 'activity';
const SECTIONS: ReadonlyArray<SectionTab<Section>> = [
  { id: 'records', label: 'Records' },
  { id: 'sharing', label: 'Sharing' },
  { id: 'activity', label: 'Activity' },
];

/**
 * The vault tab: import, browse, open, export. It holds no keys and no database: every view comes
 * from the background (ask), which refuses everything while the vault is locked.
 */
export function VaultPage() {
  const [state, setState] = useState<VaultState>();
  const [summary, setSummary] = useState<RecordsSummary>();
  const [selected, setSelected] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const [error, setError] = useState<string>();
  const [tab, setTab] = useState<Section>(location.hash === '#sharing' ? 'sharing' : location.hash === '#activity' ? 'activity' : 'records');

  const refresh = useCallback(async () => {
    try {
      const s = await vaultState();
      setState(s);
      if (s.status === 'unlocked') setSummary(await recordsSummary());
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);
  // The vault locked (auto-lock, the popup): drop every record on screen and close the viewer at once.
  useEffect(
    () =>
      onVaultLocked(() => {
        setSelected(undefined);
        setSummary(undefined);
        setState((s) => (s && s.status !== 'none' ? { ...s, status: 'locked' } : s));
        setGeneration((g) => g + 1);
      }),
    [],
  );
  // A lock elsewhere (popup, auto-lock) shows up as a refusal: re-check the state when the tab regains focus.
  useEffect(() => {
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refresh]);

  const changed = () => {
    setGeneration((g) => g + 1);
    void refresh();
  };

  let body;
  if (!state) body = error ? <p class="sm-alert" role="alert">{error}</p> : <p class="sm-muted">Opening…</p>;
  else if (state.status === 'none') body = <p class="sm-alert info">Create or restore your vault from the SecureMed toolbar button first.</p>;
  else if (state.status === 'locked') body = <div class="vault-unlock"><Unlock onUnlocked={() => void refresh()} /></div>;
  else if (tab === 'sharing') body = <SharingTab />;
  else if (tab === 'activity') body = <ActivityPanel />;
  else
    body = (
      <>
        {summary?.backup.due && (
          <p class="sm-alert warn" role="note" data-testid="backup-reminder">
            Make a backup file too: it is the copy you keep yourself, and it still works if this browser profile and the storage nodes are gone.
            Use “Save encrypted backup” below and keep the file somewhere safe.
          </p>
        )}
        {summary && summary.damagedIndexChunks > 0 && (
          <p class="sm-alert" role="alert">Part of your record list could not be read. Restoring a backup brings those records back.</p>
        )}
        <div class="vault-tools">
          <ImportPanel onImported={changed} />
          <BackupPanel total={summary?.total ?? 0} onChanged={changed} />
          <ReplicasPanel />
          <AnchoringPanel />
        </div>
        <div class="vault-grid">
          <RecordBrowser key={generation} total={summary?.total ?? 0} counts={summary?.byCategory ?? {}} selected={selected} onOpen={setSelected} />
          <RecordDetail id={selected} onClose={() => setSelected(undefined)} />
        </div>
      </>
    );

  return (
    <div class="vault-page">
      <header class="sm-header vault-header">
        <Logo />
        <span class="sm-title">My health records</span>
        {state && state.status !== 'none' && <LockBadge status={state.status} />}
        {state?.status === 'unlocked' && (
          <button class="sm-button" onClick={async () => setState(await ask({ type: 'vault.lock' }))}>Lock</button>
        )}
      </header>
      {state?.status === 'unlocked' && (
        <SectionTabs tabs={SECTIONS} selected={tab} onSelect={setTab} />
      )}
      <main class="sm-stack">
        {state?.status === 'unlocked' ? <div class="sm-stack" role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)}>{body}</div> : body}
      </main>
    </div>
  );
}
