import { useRef, useState } from 'preact/hooks';
import type { Progress } from './import-files';
import { categoryLabel } from './labels';

/** "Add records": drop zone + file picker, a progress bar for big imports, then what came in and what didn't. */
export function ImportPanel({ onImported }: { onImported(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<Progress>();
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string>();

  const run = async (files: File[]) => {
    if (!files.length || busy) return;
    setBusy(true);
    setError(undefined);
    setProgress(undefined);
    try {
      // Loaded on first use: the parser and limits are not needed to open the tab.
      const { importFiles } = await import('./import-files');
      await importFiles(files, setProgress);
    } catch (e) {
      setError(`The import stopped: ${(e as Error).message} Records imported before this point are saved.`);
    } finally {
      setBusy(false);
      onImported();
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void run(Array.from(e.dataTransfer?.files ?? []));
  };

  return (
    <section class="sm-card sm-stack" aria-labelledby="import-title">
      <h2 id="import-title">Add records</h2>
      <div
        class={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop FHIR files (JSON or bundles), PDFs or images here, or</p>
        <button class="sm-button primary" type="button" disabled={busy} onClick={() => input.current?.click()}>Choose files…</button>
        <input
          ref={input}
          class="sm-visually-hidden"
          type="file"
          multiple
          accept=".json,.ndjson,application/json,application/fhir+json,application/pdf,image/png,image/jpeg,image/gif,image/webp"
          aria-label="Choose files to import"
          tabIndex={-1}
          onChange={(e) => {
            const files = Array.from((e.currentTarget as HTMLInputElement).files ?? []);
            (e.currentTarget as HTMLInputElement).value = '';
            void run(files);
          }}
        />
        <p class="sm-hint">Files up to 50 MB. Everything is encrypted on this device before it is stored.</p>
      </div>
      {progress && <ImportProgress p={progress} busy={busy} />}
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </section>
  );
}

function ImportProgress({ p, busy }: { p: Progress; busy: boolean }) {
  const [showAccepted, setShowAccepted] = useState(false);
  return (
    <div class="sm-stack" data-testid="import-result">
      {busy ? (
        <div>
          <label for="import-progress" class="sm-hint">Importing {p.done.toLocaleString()} of {p.total.toLocaleString()} entries…</label>
          <progress id="import-progress" max={p.total || 1} value={p.done} />
        </div>
      ) : (
        <p role="status" class="sm-alert info" data-testid="import-summary">
          {p.imported.toLocaleString()} {p.imported === 1 ? 'record' : 'records'} added
          {p.duplicates ? `, ${p.duplicates.toLocaleString()} already in your vault` : ''}
          {p.rejected.length ? `, ${p.rejected.length.toLocaleString()} could not be imported` : ''}.
        </p>
      )}
      {p.rejected.length > 0 && (
        <div>
          <h3>Not imported</h3>
          {/* A scrolling list: focusable, so a keyboard user can scroll it too (WCAG 2.1.1). */}
          <ul class="sm-list import-rejected" data-testid="rejected-list" tabIndex={0} aria-label="Entries not imported, with the reason">
            {p.rejected.slice(0, 200).map((r, i) => (
              <li key={i}>
                <strong>{r.source}</strong>
                <span>{r.reason}</span>
              </li>
            ))}
          </ul>
          {p.rejected.length > 200 && <p class="sm-hint">…and {(p.rejected.length - 200).toLocaleString()} more.</p>}
        </div>
      )}
      {!busy && p.accepted.length > 0 && (
        <div>
          <button class="sm-link" aria-expanded={showAccepted} onClick={() => setShowAccepted(!showAccepted)}>
            {showAccepted ? 'Hide what was added' : 'Show what was added'}
          </button>
          {showAccepted && (
            <ul class="sm-list import-accepted" tabIndex={0} aria-label="Records added">
              {p.accepted.map((a) => (
                <li key={a.id}>{a.title} <span class="sm-hint">· {categoryLabel(a.category ?? '')}</span></li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
