// One embedding worker (thread or process), seen from the main thread: started with a backend spec,
// ready once the model is loaded, then running one batch at a time. A crash (uncaught error or unexpected exit) rejects
// the batch in flight and is reported once through `onCrash`, so the pool can replace the worker.

import { deserializeError, type WorkerInit, type WorkerMessage } from './worker-protocol.js';
import { spawnWorker, type WorkerIsolation } from './worker-transport.js';
import type { TimedVectors } from './embedder.js';

export interface WorkerSlot {
  readonly busy: boolean;
  /** Embeds one batch; rejects if the worker reports an error, crashes or is terminated meanwhile. */
  run(texts: readonly string[]): Promise<TimedVectors>;
  terminate(): Promise<void>;
}

export interface ReadyWorker {
  readonly slot: WorkerSlot;
  readonly modelId: string;
  readonly dimension: number;
}

export interface WorkerSlotOptions {
  readonly url: URL;
  readonly isolation: WorkerIsolation;
  readonly init: WorkerInit;
  readonly onCrash: (error: Error) => void;
  /** How long a batch may take before the worker is taken for hung and replaced. */
  readonly deadlineMs: (texts: number) => number;
}

/** Generous: a batch on a loaded machine takes well under a second; this only catches a worker
 * that will never answer, which would otherwise hold every semantic lookup behind it. */
export function defaultDeadlineMs(texts: number): number {
  return 30_000 + 1_000 * texts;
}

interface InFlight {
  readonly id: number;
  readonly resolve: (result: TimedVectors) => void;
  readonly reject: (error: Error) => void;
}

/** Resolves when the worker has loaded its model; rejects with the load error otherwise. */
export function startWorkerSlot(options: WorkerSlotOptions): Promise<ReadyWorker> {
  return new Promise((resolveReady, rejectReady) => {
    const worker = spawnWorker(options.isolation, options.url, options.init);
    let ready = false;
    let stopped = false;
    let nextId = 0;
    let current: InFlight | undefined;

    const takeCurrent = (id?: number): InFlight | undefined => {
      if (current === undefined || (id !== undefined && current.id !== id)) return undefined;
      const taken = current;
      current = undefined;
      return taken;
    };

    const stop = (error: Error, crashed: boolean): void => {
      if (stopped) return;
      stopped = true;
      takeCurrent()?.reject(error);
      void worker.terminate();
      if (!ready) rejectReady(error);
      else if (crashed) options.onCrash(error);
    };

    const slot: WorkerSlot = {
      get busy() {
        return current !== undefined;
      },
      run(texts) {
        if (stopped) return Promise.reject(new Error('embedding worker is stopped'));
        if (current !== undefined) return Promise.reject(new Error('embedding worker is busy'));
        return new Promise((resolve, reject) => {
          const id = nextId++;
          const deadlineMs = options.deadlineMs(texts.length);
          const timer = setTimeout(() => stop(new Error(`embedding worker did not answer within ${deadlineMs} ms`), true), deadlineMs);
          timer.unref();
          current = {
            id,
            resolve: (result) => {
              clearTimeout(timer);
              resolve(result);
            },
            reject: (error) => {
              clearTimeout(timer);
              reject(error);
            },
          };
          worker.send({ id, texts });
        });
      },
      async terminate() {
        stop(new Error('embedder closed'), false);
        await worker.terminate();
      },
    };

    worker.onMessage((message) => {
      switch (message.type) {
        case 'ready':
          ready = true;
          resolveReady({ slot, modelId: message.modelId, dimension: message.dimension });
          break;
        case 'load-error':
          stop(deserializeError(message.error), false);
          break;
        case 'vectors':
          takeCurrent(message.id)?.resolve({ vectors: message.vectors, computeMs: message.computeMs });
          break;
        case 'embed-error':
          takeCurrent(message.id)?.reject(deserializeError(message.error));
          break;
      }
    });
    worker.onFailure((error) => stop(error, true));
  });
}
