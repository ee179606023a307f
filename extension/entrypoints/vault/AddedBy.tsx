import { useEffect, useState } from 'preact/hooks';
import type { ProvenanceView } from '../../../shared/protocol/ui/submit';
import { ask } from '../../ui/messenger';

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
};

/**
 * "Added by <site> (grantee …) on <date>" in a record's detail, for records a site sent and the patient
 * accepted (their FHIR Provenance, extension/submit/). Nothing for the patient's own imports.
 */
export function AddedBy({ id }: { id: string }) {
  const [added, setAdded] = useState<ProvenanceView>();
  useEffect(() => {
    let live = true;
    setAdded(undefined);
    ask({ type: 'submit.provenance', id }).then((r) => live && setAdded(r.added), () => undefined);
    return () => void (live = false);
  }, [id]);
  if (!added) return null;
  const when = new Date(added.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <p class="sm-alert info" data-testid="added-by">
      Added by <strong>{hostOf(added.origin)}</strong>
      {added.grantee && <> (grantee <span class="sm-address" title={added.grantee}>{`${added.grantee.slice(0, 6)}…${added.grantee.slice(-4)}`}</span>)</>} on {when}. You reviewed it before it was added.
    </p>
  );
}
