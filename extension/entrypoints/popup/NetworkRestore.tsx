import { useState } from 'preact/hooks';
import { ask } from '../../ui/messenger';

type Phase = { kind: 'ask' } | { kind: 'running'; done: number; total: number } | { kind: 'finished'; restored: number; damaged: number; saved: boolean } | { kind: 'none' };

/**
 * One node per line (or comma-separated): its address, then, for a node that needs one, its credential
 * after a space → a node list; the background checks each address.
 */
function parseNodes(text: string): Array<{ url: string; credential?: string }> | undefined {
  const entries = text.split(/[\n,]+/).map((line) => line.trim().split(/\s+/)).filter((parts) => parts[0]);
  return entries.length ? entries.map(([url, credential]) => (credential ? { url: url!, credential } : { url: url! })) : undefined;
}

/**
 * After the phrase restored the vault: bring its records back from the storage nodes (the newest
 * encrypted copy any of them holds), with progress. Custom nodes can be entered first (they become the
 * settings' node list once they hold this vault's copy); the backup file stays the offline path (vault page).
 */
export function NetworkRestore({ onDone }: { onDone(): void }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'ask' });
  const [custom, setCustom] = useState(false);
  const [nodes, setNodes] = useState('');
  const [error, setError] = useState<string>();

  const start = async () => {
    setError(undefined);
    try {
      const entered = custom ? parseNodes(nodes) : undefined;
      const begun = await ask({ type: 'replicas.restore.begin', nodes: entered });
      if (!begun.createdAt) return setPhase({ kind: 'none' });
      let offset = 0;
      let restored = 0;
      let damaged: string[] = [];
      setPhase({ kind: 'running', done: 0, total: begun.total });
      for (;;) {
        const step = await ask({ type: 'replicas.restore.next', offset });
        restored += step.restored + step.skipped;
        damaged = step.damagedNodes;
        offset = step.next;
        setPhase({ kind: 'running', done: offset, total: begun.total });
        if (step.done) break;
      }
      setPhase({ kind: 'finished', restored, damaged: damaged.length, saved: entered !== undefined });
    } catch (e) {
      setError((e as Error).message);
      setPhase({ kind: 'ask' });
    }
  };

  return (
    <section class="sm-card sm-stack" aria-labelledby="network-restore-title" data-testid="network-restore">
      <h1 id="network-restore-title">Bring back your records</h1>
      {phase.kind === 'ask' && (
        <>
          <p>Your vault is restored. Its records can come back from the encrypted copy on your storage nodes.</p>
          <label class="sm-row">
            <input type="checkbox" checked={custom} onChange={(e) => setCustom(e.currentTarget.checked)} /> I use my own storage nodes
          </label>
          {custom && (
            <div class="sm-field">
              <label for="restore-nodes">Storage node addresses</label>
              <textarea id="restore-nodes" class="sm-input" rows={3} spellcheck={false} value={nodes} onInput={(e) => setNodes(e.currentTarget.value)} />
              <span class="sm-hint">One address per line, e.g. https://ipfs.my-hospital.example — for a node that needs a credential, add it after a space.</span>
            </div>
          )}
          {error && <p class="sm-alert" role="alert">{error}</p>}
          <div class="sm-actions">
            <button type="button" class="sm-button" onClick={onDone}>Skip</button>
            <button type="button" class="sm-button primary" onClick={start} data-testid="restore-network">Restore from the network</button>
          </div>
        </>
      )}
      {phase.kind === 'running' && (
        <>
          <p role="status"><span class="sm-spinner" aria-hidden="true" /> Restoring… {phase.done.toLocaleString()} of {phase.total.toLocaleString()}</p>
          <progress max={Math.max(1, phase.total)} value={phase.done} />
        </>
      )}
      {phase.kind === 'finished' && (
        <>
          <p role="status" data-testid="network-restore-done">
            {phase.restored.toLocaleString()} {phase.restored === 1 ? 'item is' : 'items are'} back in your vault.
            {phase.damaged > 0 && ` ${phase.damaged} storage ${phase.damaged === 1 ? 'node' : 'nodes'} served damaged data and ${phase.damaged === 1 ? 'was' : 'were'} skipped; it will be repaired at the next check.`}
          </p>
          {phase.saved && <p data-testid="network-restore-nodes-saved">Your storage nodes are saved in Settings: new records are copied to them.</p>}
          <div class="sm-actions"><button type="button" class="sm-button primary" onClick={onDone}>Continue</button></div>
        </>
      )}
      {phase.kind === 'none' && (
        <>
          <p role="status">No storage node holds a copy of this vault. If you have a backup file, restore it from the vault page.</p>
          <div class="sm-actions"><button type="button" class="sm-button primary" onClick={onDone}>Continue</button></div>
        </>
      )}
    </section>
  );
}
