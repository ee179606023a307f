import { useEffect, useState } from 'preact/hooks';
import type { RecordView } from '../../../shared/protocol/ui/records';
import { ask } from '../../ui/messenger';
import { AddedBy } from './AddedBy';
import { categoryLabel, formatDate, readableValue } from './labels';
import { RecordVerify } from './RecordVerify';
import { WhoSaw } from './WhoSaw';
import { Viewer } from './Viewer';
import { viewablesOf, type Viewable } from './viewables';

/** One record, readable first; raw JSON only when asked for; narrative and files in the sandboxed viewer. */
export function RecordDetail({ id, onClose }: { id?: string; onClose(): void }) {
  const [record, setRecord] = useState<RecordView>();
  const [error, setError] = useState<string>();
  const [raw, setRaw] = useState(false);
  const [viewing, setViewing] = useState<Viewable>();

  useEffect(() => {
    setRecord(undefined);
    setRaw(false);
    setError(undefined);
    if (!id) return;
    let live = true;
    ask({ type: 'records.get', id }).then((r) => live && setRecord(r), (e: Error) => live && setError(e.message));
    return () => void (live = false);
  }, [id]);

  if (!id) {
    return (
      <aside class="sm-card detail empty" aria-label="Record details">
        <p class="sm-muted">Choose a record to see its details.</p>
      </aside>
    );
  }
  return (
    <aside class="sm-card sm-stack detail" aria-labelledby="detail-title" data-testid="record-detail">
      {error && <p class="sm-alert" role="alert">{error}</p>}
      {!record && !error && <p class="sm-muted">Opening…</p>}
      {record && (
        <>
          <div class="sm-row">
            <h2 id="detail-title" class="sm-grow">{record.entry.title}</h2>
            <button class="sm-button" onClick={onClose} aria-label="Close details">Close</button>
          </div>
          <p class="sm-hint">
            {categoryLabel(record.entry.category)}
            {record.entry.date ? ` · ${formatDate(record.entry.date.slice(0, 10))}` : ''}
          </p>
          <AddedBy id={id} />
          {record.damaged ? (
            <p class="sm-alert" role="alert" data-testid="damaged">
              This record is damaged and can't be opened. Its stored data was changed or corrupted, so SecureMed will not
              show it. Your other records are not affected; restoring a backup can bring this one back.
            </p>
          ) : (
            <Readable record={record} raw={raw} onRaw={() => setRaw(!raw)} onView={setViewing} />
          )}
          <RecordVerify id={id} />
          <WhoSaw id={id} />
        </>
      )}
      {viewing && <Viewer item={viewing} onClose={() => setViewing(undefined)} />}
    </aside>
  );
}

function Readable({ record, raw, onRaw, onView }: { record: Extract<RecordView, { view: unknown }>; raw: boolean; onRaw(): void; onView(v: Viewable): void }) {
  const viewables = viewablesOf(record.resource, record.entry.title);
  return (
    <>
      {record.entry.sensitive?.length ? <p class="sm-alert warn">Sensitive: {record.entry.sensitive.join(', ')}. Shared only with your explicit consent.</p> : null}
      <dl class="fields" data-testid="fields">
        {record.view.fields.map((f) => (
          <div key={f.label} class="field">
            <dt>{f.label}</dt>
            <dd>{readableValue(f.value)}</dd>
          </div>
        ))}
      </dl>
      {viewables.length > 0 && (
        <div class="sm-row wrap">
          {viewables.map((v) => (
            <button key={v.label} class="sm-button" onClick={() => onView(v)}>{v.label}</button>
          ))}
        </div>
      )}
      <div>
        <button class="sm-link" aria-expanded={raw} aria-controls="raw-json" onClick={onRaw}>{raw ? 'Hide raw JSON' : 'Show raw JSON'}</button>
        {raw && <pre id="raw-json" class="raw-json" tabIndex={0}>{JSON.stringify(record.resource, shortenData, 2)}</pre>}
      </div>
    </>
  );
}

/** Raw JSON stays readable: an inline document's base64 is summarised instead of printed in full. */
function shortenData(key: string, value: unknown): unknown {
  if (key === 'data' && typeof value === 'string' && value.length > 200) return `<${Math.round((value.length * 3) / 4 / 1024)} KB of file data>`;
  return value;
}
