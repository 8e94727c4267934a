// Runs tasks with at most `concurrency` in flight, in order of the items; stops taking new items
// once the signal aborts (tasks already started finish).

export async function runPool<T>(items: Iterable<T>, concurrency: number, signal: AbortSignal, task: (item: T, index: number) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let index = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (!signal.aborted && failure === undefined) {
      const next = iterator.next();
      if (next.done === true) return;
      const current = index++;
      try {
        await task(next.value, current);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure !== undefined) throw failure;
}
