import { beginNetworkRestore, nextNetworkRestore } from '../../replicas/restore';
import { replicaStatus, replicateNow } from '../../replicas/replicate';
import type { Procedures } from './index';

/** Encrypted replicas on storage nodes (extension/replicas/). */
export const replicasProcedures: Procedures<'replicas.status' | 'replicas.sync' | 'replicas.restore.begin' | 'replicas.restore.next'> = {
  'replicas.status': () => replicaStatus(),
  'replicas.sync': () => replicateNow(),
  'replicas.restore.begin': ({ nodes }) => beginNetworkRestore(nodes),
  'replicas.restore.next': ({ offset }) => nextNetworkRestore(offset),
};
