import { useEffect, useState } from 'preact/hooks';
import type { RecordVerdict } from '../../../shared/protocol/ui/anchoring';
import { ask } from '../../ui/messenger';
import { verdictWords } from './anchoring-words';

/**
 * In the record detail: Verify (the leaf from the stored ciphertext, the proof checked by the chain)
 * and "Export with proof" (the record + proof file a third party checks with `npm run verify-record`).
 */
export function RecordVerify({ id }: { id: string }) {
  const [verdict, setVerdict] = useState<RecordVerdict>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [withContent, setWithContent] = useState(false);
  useEffect(() => {
    setVerdict(undefined);
    setError(undefined);
  }, [id]);

  const run = async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const verify = () => run('Verifying…', async () => setVerdict(await ask({ type: 'anchoring.verify', id })));
  const exportProof = () =>
    run('Exporting…', async () => {
      const file = await ask({ type: 'anchoring.export', id, includeContent: withContent });
      // backup-file.ts is loaded on first use (as BackupPanel does), so opening the tab does not need it.
      (await import('./backup-file')).download(file.fileName, file.text, 'application/json');
    });
  const words = verdict && verdictWords(verdict);

  return (
    <section class="sm-stack anchor-verify" aria-label="Tamper evidence" data-testid="record-verify">
      <div class="sm-row wrap">
        <button class="sm-button" disabled={!!busy} onClick={verify}>{busy === 'Verifying…' ? busy : 'Verify'}</button>
        <button class="sm-button" disabled={!!busy || verdict?.state !== 'unchanged'} onClick={exportProof} title="A file a doctor or a court can check against the chain">
          Export with proof
        </button>
        <label class="sm-hint anchor-content-choice">
          <input type="checkbox" checked={withContent} onChange={(e) => setWithContent((e.currentTarget as HTMLInputElement).checked)} /> include the record's
          content and its key
        </label>
      </div>
      {words && (
        <p class={`sm-alert ${words.tone === 'ok' ? 'anchor-ok' : words.tone === 'bad' ? '' : 'info'}`} role="status" data-testid="verify-result" data-state={verdict!.state}>
          {words.text}
        </p>
      )}
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </section>
  );
}
