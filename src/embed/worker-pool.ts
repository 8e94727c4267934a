// Embedding in workers (threads, or processes for onnxruntime: see worker-transport.ts), so model
// inference never blocks the proxy's event loop. Concurrent calls
// are merged: texts queue up while the workers are busy (or within one tick) and go out as one message
// per idle worker, spread evenly so every core works on a burst, each at most `maxBatch` texts.
// When a batch of several texts fails (a text that crashes the worker, or a worker that stops
// answering), its texts are tried again one per message, so only the text at fault fails.

import { availableParallelism } from 'node:os';
import { SemcacheError } from '../errors.js';
import { describeBackend, type BackendSpec } from './embed-backend.js';
import type { LogSink } from '../logger.js';
import type { Embedder, TimedVectors } from './embedder.js';
import { defaultDeadlineMs, startWorkerSlot, type ReadyWorker, type WorkerSlot } from './worker-slot.js';
import type { WorkerInit } from './worker-protocol.js';
import type { WorkerIsolation } from './worker-transport.js';

export interface EmbedderPoolOptions {
  readonly backend: BackendSpec;
  readonly workers: number;
  readonly maxBatch: number;
  readonly logger?: LogSink;
  /** How long a batch may take before its worker is replaced (defaultDeadlineMs). */
  readonly deadlineMs?: (texts: number) => number;
  /** The worker script; defaults to the compiled embed-worker.js (see defaultWorkerUrl). */
  readonly workerUrl?: URL;
  /** Defaults to what the backend needs (defaultIsolation). */
  readonly isolation?: WorkerIsolation;
  /** onnxruntime intra-op threads per worker (defaultThreadsPerWorker). */
  readonly threadsPerWorker?: number;
}

export interface EmbedderPoolStats {
  /** embed() calls received. */
  readonly calls: number;
  readonly texts: number;
  /** Batches sent to workers; fewer than `calls` when calls were merged. */
  readonly messages: number;
  readonly largestBatch: number;
  /** Workers replaced after a crash. */
  readonly restarts: number;
  /** Texts tried again alone after their batch failed. */
  readonly retried: number;
}

export interface EmbedderPool extends Embedder {
  stats(): EmbedderPoolStats;
}

interface PendingCall {
  readonly vectors: Float32Array[];
  /** This call's share of the compute time of the batches its texts went in. */
  computeMs: number;
  remaining: number;
  settled: boolean;
  readonly resolve: (result: TimedVectors) => void;
  readonly reject: (error: Error) => void;
}

interface QueuedText {
  readonly call: PendingCall;
  readonly index: number;
  readonly text: string;
}

/** Texts of a failed batch, each to be embedded alone. */
type RetryQueue = QueuedText[];

type SlotState = { kind: 'ready'; slot: WorkerSlot } | { kind: 'starting' } | { kind: 'dead' };

/**
 * Where the worker script is. Compiled, this module is dist/embed/worker-pool.js and the worker sits next
 * to it. Under vitest it runs as src/embed/worker-pool.ts, and Node 20 cannot start a .ts worker, so the
 * build output is used (`npm test` builds first).
 */
export function defaultWorkerUrl(moduleUrl: string = import.meta.url): URL {
  return moduleUrl.endsWith('.js') ? new URL('./embed-worker.js', moduleUrl) : new URL('../../dist/embed/embed-worker.js', moduleUrl);
}

/** onnxruntime-node (USE-lite's default runtime, transformers.js) needs a process per worker;
 * TensorFlow.js runs fine in threads. */
export function defaultIsolation(spec: BackendSpec): WorkerIsolation {
  return spec.kind === 'use-tfjs' ? 'thread' : 'process';
}

/** Each worker's share of the cores, for onnxruntime's intra-op threads: N workers on N cores get one
 * each (they already run side by side); fewer workers than cores split the rest among them. */
export function defaultThreadsPerWorker(workers: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / workers));
}

export async function createEmbedderPool(options: EmbedderPoolOptions): Promise<EmbedderPool> {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
  }
  if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
  }
  const { logger, maxBatch } = options;
  const url = options.workerUrl ?? defaultWorkerUrl();
  const isolation = options.isolation ?? defaultIsolation(options.backend);
  const init: WorkerInit = { spec: options.backend, threads: options.threadsPerWorker ?? defaultThreadsPerWorker(options.workers) };
  const label = describeBackend(options.backend);
  const slots: SlotState[] = Array.from({ length: options.workers }, () => ({ kind: 'starting' }));
  const replacements = new Set<Promise<unknown>>();
  const queue: QueuedText[] = [];
  const retries: RetryQueue = [];
  const counters = { calls: 0, texts: 0, messages: 0, largestBatch: 0, restarts: 0, retried: 0 };
  let flushScheduled = false;
  let closed = false;

  const start = (index: number): Promise<ReadyWorker> =>
    startWorkerSlot({ url, isolation, init, deadlineMs: options.deadlineMs ?? defaultDeadlineMs, onCrash: (error) => replace(index, error) }).then((ready) => {
      slots[index] = { kind: 'ready', slot: ready.slot };
      return ready;
    });

  const replace = (index: number, cause: Error): void => {
    slots[index] = { kind: 'starting' };
    counters.restarts++;
    logger?.error({ err: cause, worker: index }, 'embedding worker crashed; replacing it');
    if (closed) return;
    const replacement = start(index).then(
      (ready) => (closed ? ready.slot.terminate() : flush()),
      (error: unknown) => {
        slots[index] = { kind: 'dead' };
        logger?.error({ err: error, worker: index }, 'replacement embedding worker failed to load');
        flush();
      },
    );
    replacements.add(replacement);
    void replacement.finally(() => replacements.delete(replacement));
  };

  const started = await Promise.allSettled(slots.map((_, index) => start(index)));
  const failure = started.find((result) => result.status === 'rejected');
  const first = started.find((result) => result.status === 'fulfilled');
  if (failure !== undefined || first === undefined) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.slot.terminate() : undefined)));
    const cause: unknown = failure?.reason;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SemcacheError('SEMCACHE_ERR_EMBED_LOAD_FAILED', `embedding model ${label} failed to load: ${reason}`, { cause });
  }
  const { modelId, dimension } = first.value;

  const fail = (call: PendingCall, error: Error): void => {
    if (call.settled) return;
    call.settled = true;
    call.reject(error);
  };

  const deliver = (item: QueuedText, vector: Float32Array | undefined, computeMs: number): void => {
    const { call } = item;
    if (call.settled) return;
    if (vector === undefined) return fail(call, new Error('embedding worker returned fewer vectors than texts'));
    call.vectors[item.index] = vector;
    call.computeMs += computeMs;
    call.remaining--;
    if (call.remaining === 0) {
      call.settled = true;
      call.resolve({ vectors: call.vectors, computeMs: call.computeMs });
    }
  };

  const dispatch = (slot: WorkerSlot, batch: QueuedText[]): void => {
    counters.messages++;
    counters.largestBatch = Math.max(counters.largestBatch, batch.length);
    slot
      .run(batch.map((item) => item.text))
      .then(
        ({ vectors, computeMs }) => batch.forEach((item, i) => deliver(item, vectors[i], computeMs / batch.length)),
        (cause: unknown) => {
          if (batch.length > 1) {
            counters.retried += batch.length;
            retries.push(...batch);
            return;
          }
          const reason = cause instanceof Error ? cause.message : String(cause);
          const error = new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', `embedding failed: ${reason}`, { cause });
          for (const item of batch) fail(item.call, error);
        },
      )
      .finally(flush);
  };

  function flush(): void {
    if (closed) return;
    // Texts of calls already rejected (their other batch failed) are not worth embedding.
    for (const pending of [queue, retries]) for (let i = pending.length - 1; i >= 0; i--) if (pending[i]?.call.settled) pending.splice(i, 1);
    if (queue.length === 0 && retries.length === 0) return;
    if (slots.every((state) => state.kind === 'dead')) {
      const error = new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', `no embedding worker is running for ${label}`);
      for (const item of [...retries.splice(0), ...queue.splice(0)]) fail(item.call, error);
      return;
    }
    const idle: WorkerSlot[] = [];
    for (const state of slots) if (state.kind === 'ready' && !state.slot.busy) idle.push(state.slot);
    // Retried texts first, each alone: one of them is why their batch failed.
    for (const slot of idle.splice(0, Math.min(idle.length, retries.length))) dispatch(slot, retries.splice(0, 1));
    for (let k = 0; k < idle.length && queue.length > 0; k++) {
      const share = Math.min(maxBatch, Math.ceil(queue.length / (idle.length - k)));
      const slot = idle[k];
      if (slot !== undefined) dispatch(slot, queue.splice(0, share));
    }
  }

  const scheduleFlush = (): void => {
    if (flushScheduled) return;
    flushScheduled = true;
    // A microtask lets every embed() call made in the same tick join the same batch.
    queueMicrotask(() => {
      flushScheduled = false;
      flush();
    });
  };

  logger?.info({ modelId, dimension, workers: options.workers, isolation, threadsPerWorker: init.threads, maxBatch }, 'embedding workers ready');

  function embedTimed(texts: readonly string[]): Promise<TimedVectors> {
    if (closed) return Promise.reject(new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', 'embedder is closed'));
    counters.calls++;
    counters.texts += texts.length;
    if (texts.length === 0) return Promise.resolve({ vectors: [], computeMs: 0 });
    return new Promise<TimedVectors>((resolve, reject) => {
      const call: PendingCall = { vectors: [], computeMs: 0, remaining: texts.length, settled: false, resolve, reject };
      texts.forEach((text, index) => queue.push({ call, index, text }));
      scheduleFlush();
    });
  }

  return {
    modelId,
    dimension,
    embed: async (texts) => (await embedTimed(texts)).vectors,
    embedTimed,
    stats: () => ({ ...counters }),
    // Down only when no worker is left: texts wait for a worker being replaced.
    health: () => (slots.every((state) => state.kind === 'dead') ? { state: 'down', reason: `no embedding worker is running for ${label}` } : { state: 'up' }),
    async close() {
      if (closed) return;
      closed = true;
      const error = new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', 'embedder is closed');
      for (const item of [...retries.splice(0), ...queue.splice(0)]) fail(item.call, error);
      await Promise.all(slots.map((state) => (state.kind === 'ready' ? state.slot.terminate() : undefined)));
      await Promise.allSettled([...replacements]);
    },
  };
}
