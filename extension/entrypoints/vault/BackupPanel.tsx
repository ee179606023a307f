import { useRef, useState } from 'preact/hooks';
// backup-file.ts is loaded on first use: opening the tab does not need it.
const files = () => import('./backup-file');

/** Backups (encrypted, restorable with the recovery phrase), the unencrypted FHIR export, and restore. */
export function BackupPanel({ total, onChanged }: { total: number; onChanged(): void }) {
  const confirm = useRef<HTMLDialogElement>(null);
  const restoreInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string }>();

  const act = async (label: string, work: () => Promise<string>) => {
    setBusy(label);
    setMessage(undefined);
    try {
      setMessage({ kind: 'info', text: await work() });
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(undefined);
      onChanged();
    }
  };

  const backup = () =>
    act('Saving backup…', async () => {
      const saved = await (await files()).saveBackup();
      const extra = saved.items > saved.records ? ', with your sharing, activity and proofs' : '';
      return `Encrypted backup of ${saved.records.toLocaleString()} records saved${extra}. Keep it with your recovery phrase: you need both to restore.`;
    });
  const bundle = () => {
    confirm.current?.close();
    void act('Exporting…', async () => {
      const { exported, damaged } = await (await files()).exportBundle();
      return `Exported ${exported.toLocaleString()} records as an unencrypted FHIR file.${damaged ? ` ${damaged} damaged ${damaged === 1 ? 'record was' : 'records were'} left out.` : ''}`;
    });
  };
  const restore = (file: File) =>
    act('Restoring…', async () => {
      const r = await (await files()).restoreBackup(file, (done, count) => setBusy(`Restoring ${done.toLocaleString()} of ${count.toLocaleString()}…`));
      // Counted in items: the file holds records and what goes with them, and each is checked on its own.
      const parts = [`Restored ${r.restored.toLocaleString()} of ${r.count.toLocaleString()} items from the backup (${r.records.toLocaleString()} records and what goes with them: sharing, activity, proofs).`];
      if (r.skipped) parts.push(`${r.skipped.toLocaleString()} were already in your vault.`);
      if (r.rejected) parts.push(`${r.rejected.toLocaleString()} could not be verified and were left out.`);
      return parts.join(' ');
    });

  return (
    <section class="sm-card sm-stack" aria-labelledby="backup-title">
      <h2 id="backup-title">Backup and export</h2>
      <p class="sm-hint">A backup file is a copy you keep yourself, even offline. It is encrypted; only your recovery phrase opens it.</p>
      <div class="sm-row wrap">
        <button class="sm-button primary" disabled={!!busy || total === 0} onClick={backup}>Save encrypted backup</button>
        <button class="sm-button" disabled={!!busy} onClick={() => restoreInput.current?.click()}>Restore from backup…</button>
        <button class="sm-button" disabled={!!busy || total === 0} onClick={() => confirm.current?.showModal()}>Export as FHIR…</button>
      </div>
      <input
        ref={restoreInput}
        class="sm-visually-hidden"
        type="file"
        accept=".json,application/json"
        aria-label="Choose a backup file to restore"
        tabIndex={-1}
        onChange={(e) => {
          const file = (e.currentTarget as HTMLInputElement).files?.[0];
          (e.currentTarget as HTMLInputElement).value = '';
          if (file) void restore(file);
        }}
      />
      {busy && <p class="sm-hint" role="status"><span class="sm-spinner" aria-hidden="true" /> {busy}</p>}
      {message && <p class={`sm-alert${message.kind === 'info' ? ' info' : ''}`} role={message.kind === 'info' ? 'status' : 'alert'} data-testid="backup-message">{message.text}</p>}
      <dialog ref={confirm} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
        <h2 id="confirm-title">Export without encryption?</h2>
        <p id="confirm-text">
          The FHIR file will <strong>not be encrypted</strong>. Anyone who gets the file can read all your health records.
          Use it to give your records to another app or a doctor; for safekeeping, save an encrypted backup instead.
        </p>
        <div class="sm-actions">
          <button class="sm-button" onClick={() => confirm.current?.close()}>Cancel</button>
          <button class="sm-button danger" onClick={bundle}>Export unencrypted file</button>
        </div>
      </dialog>
    </section>
  );
}
