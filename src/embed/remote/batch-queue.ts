// When texts waiting for a remote embeddings call go, and with which others. A text that finds the
// queue idle (no call out, nothing waiting) goes at once, with the texts of the same tick, so one
// request at a time never waits. A text that finds a call out or texts waiting joins a batch that
// goes when it is full, when no text has joined it for `quietMs` (the burst is over), or when its
// oldest text has waited `batchWaitMs`; at most `maxInFlight` calls are out at once.

export interface EmbedResult {
  readonly vector: Float32Array;
  /** This text's share of the call's time. */
  readonly computeMs: number;
}

export interface Waiting {
  readonly text: string;
  readonly queuedAt: number;
  /** Arrived with nothing out and nothing waiting: goes without waiting for others. */
  readonly eager: boolean;
  /** Sent alone: it was in a batch the endpoint refused as a whole. */
  readonly alone: boolean;
  readonly resolve: (result: EmbedResult) => void;
  readonly reject: (error: Error) => void;
}

export interface BatchPolicy {
  readonly maxBatch: number;
  readonly batchWaitMs: number;
  readonly quietMs: number;
  readonly maxInFlight: number;
}

export interface BatchGate {
  /** No call may start now (the circuit is open): waiting texts are failed at once. */
  blocked(): boolean;
  /** Takes the right to start a call (in half-open, the one probe). */
  acquire(): boolean;
}

export interface BatchQueue {
  push(text: string): Promise<EmbedResult>;
  /** Queues the texts of a refused batch again, first, each to go in a call of its own. */
  retryAlone(batch: readonly Waiting[]): void;
  /** Fails every waiting text; later pushes are the caller's to refuse. */
  close(error: Error): void;
}

export function createBatchQueue(
  policy: BatchPolicy,
  gate: BatchGate,
  hooks: { send(batch: Waiting[]): Promise<void>; failWaiting(waiting: Waiting[]): void },
): BatchQueue {
  const queue: Waiting[] = [];
  let inFlight = 0;
  let lastQueuedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushScheduled = false;
  let closed = false;

  function send(batch: Waiting[]): void {
    inFlight++;
    void hooks.send(batch).finally(() => {
      inFlight--;
      flush();
    });
  }

  function due(oldest: Waiting, now: number): boolean {
    if (oldest.alone || (oldest.eager && inFlight === 0) || queue.length >= policy.maxBatch) return true;
    return now - oldest.queuedAt >= policy.batchWaitMs || now - lastQueuedAt >= policy.quietMs;
  }

  function flush(): void {
    if (closed || queue.length === 0) return;
    if (gate.blocked()) return hooks.failWaiting(queue.splice(0));
    while (queue.length > 0 && inFlight < policy.maxInFlight) {
      const oldest = queue[0] as Waiting;
      if (!due(oldest, performance.now())) break;
      // In half-open, the first batch is the probe and the others fail at once.
      if (!gate.acquire()) return hooks.failWaiting(queue.splice(0));
      send(queue.splice(0, oldest.alone ? 1 : policy.maxBatch));
    }
    if (queue.length > 0 && timer === undefined) {
      const now = performance.now();
      const wait = Math.min(policy.batchWaitMs - (now - (queue[0]?.queuedAt ?? now)), policy.quietMs - (now - lastQueuedAt));
      timer = setTimeout(
        () => {
          timer = undefined;
          flush();
        },
        Math.max(0, wait),
      );
    }
  }

  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    // A microtask lets every text of the same tick join one batch.
    queueMicrotask(() => {
      flushScheduled = false;
      flush();
    });
  }

  return {
    push(text) {
      return new Promise((resolve, reject) => {
        lastQueuedAt = performance.now();
        queue.push({ text, queuedAt: lastQueuedAt, eager: inFlight === 0 && queue.length === 0, alone: false, resolve, reject });
        scheduleFlush();
      });
    },
    retryAlone(batch) {
      queue.unshift(...batch.map((w) => ({ ...w, alone: true })));
      scheduleFlush();
    },
    close(error) {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const w of queue.splice(0)) w.reject(error);
    },
  };
}
