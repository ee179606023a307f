import { useEffect, useState } from 'preact/hooks';
import type { VaultState } from '../../../shared/protocol/ui/vault';
import { LockBadge } from '../../ui/LockBadge';
import { Logo } from '../../ui/Logo';
import { ask } from '../../ui/messenger';
import { Unlock } from '../../ui/Unlock';
import { onVaultLocked } from '../../ui/activity';
import { CreateVault } from './CreateVault';
import { Home } from './Home';
import { RestoreVault } from './RestoreVault';
import { Welcome } from './Welcome';

type Screen = 'auto' | 'create' | 'restore';

/** Toolbar popup: the lock state is always visible in the header; the body follows the vault's state. */
export function Popup() {
  const [state, setState] = useState<VaultState>();
  const [screen, setScreen] = useState<Screen>('auto');
  const [error, setError] = useState<string>();

  const refresh = () => ask({ type: 'vault.state' }).then(setState, (e: Error) => setError(e.message));
  useEffect(() => void refresh(), []);
  // Locked elsewhere (auto-lock, another page): follow at once.
  useEffect(() => onVaultLocked(() => void refresh()), []);

  const done = (next: VaultState) => {
    setState(next);
    setScreen('auto');
  };

  let body;
  if (!state) body = !error && <p class="sm-muted">Opening…</p>;
  else if (screen === 'create') body = <CreateVault onDone={done} onCancel={() => setScreen('auto')} />;
  else if (screen === 'restore') body = <RestoreVault onDone={done} onCancel={() => setScreen('auto')} />;
  else if (state.status === 'none') body = <Welcome onCreate={() => setScreen('create')} onRestore={() => setScreen('restore')} />;
  else if (state.status === 'locked') body = <Unlock onUnlocked={done} />;
  else body = <Home state={state} onLocked={done} />;

  return (
    <main class="sm-page">
      <header class="sm-header">
        <Logo />
        <span class="sm-title">SecureMed</span>
        {state && state.status !== 'none' && <LockBadge status={state.status} />}
      </header>
      {error && <p class="sm-alert" role="alert">{error}</p>}
      {body}
    </main>
  );
}
