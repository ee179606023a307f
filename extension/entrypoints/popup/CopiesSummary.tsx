import { useEffect, useState } from 'preact/hooks';
import type { ReplicasStatus } from '../../../shared/protocol/ui/replicas';
import { ask } from '../../ui/messenger';

/** "N of M copies current": how many storage nodes hold the latest encrypted copy of the vault. */
export function CopiesSummary() {
  const [status, setStatus] = useState<ReplicasStatus>();
  useEffect(() => {
    ask({ type: 'replicas.status' }).then(setStatus, () => undefined);
  }, []);
  if (!status || status.total === 0) return null;
  const healthy = status.current === status.total;
  return (
    <p class={`sm-alert ${healthy ? 'info' : 'warn'}`} role="status" data-testid="copies-summary">
      {status.current} of {status.total} copies current
      {!status.latest && status.note ? ` · ${status.note}` : ''}
    </p>
  );
}
