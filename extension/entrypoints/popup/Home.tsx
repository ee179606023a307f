import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ChainStatus } from '../../../shared/protocol/ui/settings';
import type { VaultState } from '../../../shared/protocol/ui/vault';
import { ask } from '../../ui/messenger';
import { MessagesSummary } from './MessagesSummary';
import { RecordsSummary } from './RecordsSummary';
import { SharingSummary } from './SharingSummary';
import { CopiesSummary } from './CopiesSummary';
import { ActivitySummary } from './ActivitySummary';

/** The unlocked popup: whose vault, the chain's state (never faked), lock and settings. */
export function Home({ state, onLocked }: { state: VaultState; onLocked(s: VaultState): void }) {
  const [chain, setChain] = useState<ChainStatus>();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    ask({ type: 'settings.chainStatus' }).then(setChain, () => undefined);
  }, []);

  const copy = async () => {
    await navigator.clipboard.writeText(state.address!);
    setCopied(true);
  };

  return (
    <>
      <section class="sm-card sm-stack" aria-labelledby="home-title">
        <h1 id="home-title">Your vault is open</h1>
        <div>
          <div class="sm-hint">Your SecureMed account</div>
          <div class="sm-row">
            <span class="sm-address sm-grow" data-testid="address">{state.address}</span>
            <button class="sm-button" onClick={copy} aria-label="Copy account address">{copied ? 'Copied' : 'Copy'}</button>
          </div>
        </div>
        {chain && (
          <p class={`sm-alert ${chain.reachable && chain.matches ? 'info' : 'warn'}`} data-testid="chain-status" role="status">
            {chain.message}
          </p>
        )}
      </section>
      <RecordsSummary />
      <CopiesSummary />
      <MessagesSummary />
      <SharingSummary />
      <ActivitySummary />
      <div class="sm-actions">
        <button class="sm-button" onClick={() => browser.runtime.openOptionsPage()}>Settings</button>
        <button class="sm-button primary" onClick={async () => onLocked(await ask({ type: 'vault.lock' }))}>Lock now</button>
      </div>
    </>
  );
}
