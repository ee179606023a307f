/**
 * One queue for every change to the history: the live stream, the alarm's catch-up and the outbox all
 * touch the same message and thread records, and a read-modify-write must not interleave with another
 * (e.g. a send failing after the stream already saw the message arrive).
 */
let tail: Promise<unknown> = Promise.resolve();

export function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}
