// While one request for a key is in flight upstream, identical requests wait for its result
// instead of going upstream too.

export interface SingleFlight<T> {
  /** The pending result for key, if a leader is in flight. */
  waitFor(key: string): Promise<T | undefined> | undefined;
  /** Registers the caller as the leader for key; call the returned function with the result. */
  lead(key: string): (result: T | undefined) => void;
  readonly inFlight: number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const pending = new Map<string, Promise<T | undefined>>();
  return {
    waitFor: (key) => pending.get(key),
    lead(key) {
      let settle: (result: T | undefined) => void = () => undefined;
      const promise = new Promise<T | undefined>((resolve) => {
        settle = resolve;
      });
      pending.set(key, promise);
      let done = false;
      return (result) => {
        if (done) return;
        done = true;
        if (pending.get(key) === promise) pending.delete(key);
        settle(result);
      };
    },
    get inFlight() {
      return pending.size;
    },
  };
}
