import { UiError } from '../../shared/protocol/ui-errors';
import { logError } from '../logging/log';

/**
 * A background pass that runs one at a time: a call during a run makes it go round once more (so a change
 * that arrives mid-pass is never missed), and concurrent callers share the same promise. It never throws:
 * a locked vault (and whatever `quiet` also accepts) simply ends the pass; anything else goes to the
 * support log under `area`.
 */
export function coalescedRun(
  area: string,
  what: string,
  pass: () => Promise<void>,
  quiet: (error: unknown) => boolean = isLocked,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again);
      } catch (error) {
        if (!quiet(error)) logError(area, what, error);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
}

export function isLocked(error: unknown): boolean {
  return error instanceof UiError && error.code === 'locked';
}
