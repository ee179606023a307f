/**
 * Refreshes that may overlap (a click and a "changed" event a moment apart) must show the newest
 * answer. The background answers requests concurrently, so an older request can finish last; applied
 * in arrival order, its stale answer would overwrite the fresh one and nothing would correct it until
 * the next change (a message received but not shown). `latestOnly(load)` gives a function that starts
 * `load` and resolves with its answer only if no later call started meanwhile, else with `undefined`
 * (a superseded call's failure is dropped the same way).
 */
export function latestOnly<A extends unknown[], T>(load: (...args: A) => Promise<T>): (...args: A) => Promise<T | undefined> {
  let newest = 0;
  return async (...args: A) => {
    const mine = ++newest;
    try {
      const answer = await load(...args);
      return mine === newest ? answer : undefined;
    } catch (error) {
      if (mine === newest) throw error;
      return undefined;
    }
  };
}
