/**
 * User Timing measures of a restore from the network (`restore.*`), so the bench (scripts/bench/replicas.ts)
 * can say where the time goes without a profiler: per page, how long fetching, opening, checking and
 * writing took. A handful of entries per page of ~2,500 rows (or per chunk of a backup file); cleared when
 * a restore begins (vault-data/backup.ts beginRestore), so the timeline buffer stays bounded.
 */
export const RESTORE_MEASURE_PREFIX = 'restore.';

export function clearRestoreMeasures(): void {
  for (const entry of performance.getEntriesByType('measure')) {
    if (entry.name.startsWith(RESTORE_MEASURE_PREFIX)) performance.clearMeasures(entry.name);
  }
}

/** Records `name` from `start` (performance.now()) to now, or over `duration` ms when given (a sum). */
export function measureRestore(name: string, start: number, duration?: number): void {
  performance.measure(`${RESTORE_MEASURE_PREFIX}${name}`, duration === undefined ? { start } : { start, duration });
}

/** Runs `work` and records its wall time under `name`. */
export async function timedRestore<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    measureRestore(name, start);
  }
}
