// SEMCACHE_EMBEDDER=openai: embeddings from an OpenAI-compatible /v1/embeddings endpoint the team
// already runs. Texts are batched: a text that finds the embedder idle goes at once (with the texts of
// the same tick), so one request at a time never waits; a text that finds a call out or texts waiting
// joins a batch that goes when it is full (maxBatch), when no text has joined it for BATCH_QUIET_MS
// (the burst is over), or when its oldest text has waited `batchWaitMs`, so a burst of prompts costs a
// few calls rather than one per prompt, and a lone text behind a call waits about a millisecond. A circuit breaker stops waiting on an endpoint that fails; meanwhile every
// text fails at once and the cache degrades to its exact tier (cache-engine.ts), so clients see no error.
//
// The model id names the endpoint's model and the dimension learnt from its first answer (checked on
// every answer after), so entries of two models never share a partition.

import type { Dispatcher } from 'undici';
import { SemcacheError } from '../../errors.js';
import type { EmbedLogger } from '../embed-logger.js';
import type { Embedder, EmbedderHealth, TimedVectors } from '../embedder.js';
import { toUnitVector } from '../unit-vector.js';
import { createCircuitBreaker, type BreakerSnapshot } from './circuit-breaker.js';
import { createEmbeddingsClient, EmbeddingsCallError } from './embeddings-client.js';

export interface RemoteEmbedderSpec {
  readonly kind: 'openai';
  /** The base URL an OpenAI SDK would be given, e.g. http://127.0.0.1:8000/v1. */
  readonly url: URL;
  readonly model: string;
  readonly apiKey?: string | undefined;
  readonly timeoutMs: number;
  readonly batchWaitMs: number;
  /** The dimension expected: lets the proxy start while the endpoint is down. Learnt otherwise. */
  readonly dimension?: number | undefined;
}

export interface RemoteEmbedderOptions {
  readonly spec: RemoteEmbedderSpec;
  readonly maxBatch: number;
  readonly logger?: EmbedLogger;
  readonly breaker?: { readonly failures: number; readonly cooldownMs: number };
  readonly maxInFlight?: number;
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
}

export interface RemoteEmbedderStats {
  readonly calls: number;
  readonly texts: number;
  /** HTTP calls made (the start-up probe included). */
  readonly requests: number;
  readonly failedRequests: number;
  /** Texts failed at once because the circuit was open. */
  readonly failedFast: number;
  readonly largestBatch: number;
}

export interface RemoteEmbedder extends Embedder {
  stats(): RemoteEmbedderStats;
}

export const DEFAULT_BREAKER = Object.freeze({ failures: 3, cooldownMs: 5_000 });
/** Calls out at once; more texts wait and go in fuller batches. */
export const DEFAULT_MAX_IN_FLIGHT = 4;
const PROBE_TEXT = 'dimension probe';
/** A batch waiting behind a call goes once no text has joined it for this long. Prompts of a burst
 * reach the embedder a few tenths of a millisecond apart (the proxy handles them one by one). */
export const BATCH_QUIET_MS = 1;

interface Waiting {
  readonly text: string;
  readonly queuedAt: number;
  /** Arrived with nothing out and nothing waiting: goes without waiting for others. */
  readonly eager: boolean;
  readonly resolve: (result: { vector: Float32Array; computeMs: number }) => void;
  readonly reject: (error: Error) => void;
}

export async function createRemoteEmbedder(options: RemoteEmbedderOptions): Promise<RemoteEmbedder> {
  const { spec, logger, maxBatch } = options;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const endpoint = `${spec.url.origin}${spec.url.pathname.replace(/\/+$/, '')}/embeddings`;
  // The key never leaves the Authorization header: scrubbed from anything an endpoint might echo.
  const scrub = (text: string): string => (spec.apiKey === undefined || spec.apiKey === '' ? text : text.replaceAll(spec.apiKey, '***'));
  const client = createEmbeddingsClient({ url: spec.url, model: spec.model, apiKey: spec.apiKey, timeoutMs: spec.timeoutMs, connections: maxInFlight, ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }) });
  const counters = { calls: 0, texts: 0, requests: 0, failedRequests: 0, failedFast: 0, largestBatch: 0 };
  // The breaker keeps a summary (shown by /readyz); the log gets the endpoint's own words too.
  let lastDetail: string | undefined;
  const onChange = (s: BreakerSnapshot): void => {
    if (s.state === 'open') logger?.warn({ endpoint, failures: s.consecutiveFailures, reason: lastDetail }, 'embeddings endpoint failing: semantic lookups off (exact tier and upstream only)');
    else if (s.state === 'closed') logger?.info({ endpoint }, 'embeddings endpoint answering again: semantic lookups on');
  };
  const breaker = createCircuitBreaker({ ...(options.breaker ?? DEFAULT_BREAKER), onChange, ...(options.now === undefined ? {} : { now: options.now }) });

  const dimension = await learnDimension();
  const modelId = `openai:${spec.model}-${dimension}`;
  const queue: Waiting[] = [];
  let inFlight = 0;
  let lastQueuedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushScheduled = false;
  let closed = false;

  async function learnDimension(): Promise<number> {
    counters.requests++;
    try {
      const [probe] = await client.embed([PROBE_TEXT]);
      const learnt = probe?.length ?? 0;
      if (spec.dimension !== undefined && learnt !== spec.dimension) {
        throw new SemcacheError('SEMCACHE_ERR_EMBED_LOAD_FAILED', `embeddings endpoint ${endpoint} gives ${learnt}-dimensional vectors for model "${spec.model}", not the ${spec.dimension} configured (SEMCACHE_EMBED_DIMENSION)`);
      }
      return learnt;
    } catch (error) {
      if (error instanceof SemcacheError || spec.dimension === undefined) {
        await client.close();
        if (error instanceof SemcacheError) throw error;
        const reason = scrub(error instanceof Error ? error.message : String(error));
        throw new SemcacheError('SEMCACHE_ERR_EMBED_LOAD_FAILED', `embeddings endpoint ${endpoint} did not answer at start (${reason}); set SEMCACHE_EMBED_DIMENSION to start without it`, { cause: error });
      }
      counters.failedRequests++;
      const callError = asCallError(error);
      lastDetail = callError.message;
      breaker.trip(new Error(callError.summary));
      return spec.dimension;
    }
  }

  function asCallError(error: unknown): EmbeddingsCallError {
    if (error instanceof EmbeddingsCallError) return new EmbeddingsCallError(scrub(error.message), { summary: scrub(error.summary), ...(error.status === undefined ? {} : { status: error.status }) });
    return new EmbeddingsCallError(scrub(error instanceof Error ? error.message : String(error)));
  }

  const failed = (message: string, cause?: unknown): SemcacheError => new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', `embedding failed: ${message}`, cause === undefined ? {} : { cause });

  function send(batch: Waiting[]): void {
    inFlight++;
    counters.requests++;
    counters.largestBatch = Math.max(counters.largestBatch, batch.length);
    const started = performance.now();
    client
      .embed(batch.map((w) => w.text))
      .then((vectors) => {
        const wrong = vectors.find((v) => v.length !== dimension);
        if (wrong !== undefined) throw new EmbeddingsCallError(`embeddings endpoint ${endpoint} now gives ${wrong.length}-dimensional vectors, not ${dimension}: has its model changed?`);
        breaker.success();
        // The endpoint's time, shared by the texts of the call: the nearest thing to a compute cost here.
        const computeMs = (performance.now() - started) / batch.length;
        batch.forEach((w, i) => w.resolve({ vector: toUnitVector(vectors[i] as Float32Array), computeMs }));
      })
      .catch((error: unknown) => {
        const callError = asCallError(error);
        if (callError.perText) {
          // The endpoint is up but refused the content: one text may be at fault, so each goes alone.
          breaker.success();
          if (batch.length > 1) return void queue.unshift(...batch.map((w) => ({ ...w, queuedAt: Number.NEGATIVE_INFINITY, eager: false })));
        } else {
          counters.failedRequests++;
          lastDetail = callError.message;
          breaker.failure(new Error(callError.summary));
        }
        for (const w of batch) w.reject(failed(callError.message, callError));
      })
      .finally(() => {
        inFlight--;
        flush();
      });
  }

  /** While the circuit is open, waiting texts fail at once rather than wait for a call. */
  function failWaiting(): void {
    counters.failedFast += queue.length;
    const error = failed(`embeddings endpoint ${endpoint} is failing (${breaker.snapshot().lastError ?? 'circuit open'})`);
    for (const w of queue.splice(0)) w.reject(error);
  }

  function flush(): void {
    if (closed || queue.length === 0) return;
    if (breaker.blocked()) return failWaiting();
    while (queue.length > 0 && inFlight < maxInFlight) {
      const oldest = queue[0] as Waiting;
      const alone = oldest.queuedAt === Number.NEGATIVE_INFINITY;
      const now = performance.now();
      const due = (oldest.eager && inFlight === 0) || queue.length >= maxBatch || now - oldest.queuedAt >= spec.batchWaitMs || now - lastQueuedAt >= BATCH_QUIET_MS;
      if (!due) break;
      // In half-open, the first batch is the probe and the others fail at once.
      if (!breaker.tryAcquire()) return failWaiting();
      send(queue.splice(0, alone ? 1 : maxBatch));
    }
    if (queue.length > 0 && timer === undefined) {
      const now = performance.now();
      const wait = Math.max(0, Math.min(spec.batchWaitMs - (now - (queue[0]?.queuedAt ?? 0)), BATCH_QUIET_MS - (now - lastQueuedAt)));
      timer = setTimeout(() => {
        timer = undefined;
        flush();
      }, wait);
    }
  }

  function embedOne(text: string): Promise<{ vector: Float32Array; computeMs: number }> {
    // OpenAI refuses an empty input; there is nothing to match it on anyway.
    if (text === '') return Promise.reject(failed('an empty text has no embedding'));
    return new Promise((resolve, reject) => {
      lastQueuedAt = performance.now();
      queue.push({ text, queuedAt: lastQueuedAt, eager: inFlight === 0 && queue.length === 0, resolve, reject });
      if (flushScheduled) return;
      flushScheduled = true;
      // A microtask lets every text of the same tick join one batch.
      queueMicrotask(() => {
        flushScheduled = false;
        flush();
      });
    });
  }

  async function embedTimed(texts: readonly string[]): Promise<TimedVectors> {
    if (closed) throw failed('embedder is closed');
    counters.calls++;
    counters.texts += texts.length;
    const results = await Promise.all(texts.map(embedOne));
    return { vectors: results.map((r) => r.vector), computeMs: results.reduce((sum, r) => sum + r.computeMs, 0) };
  }

  logger?.info({ modelId, dimension, endpoint, maxBatch, batchWaitMs: spec.batchWaitMs, timeoutMs: spec.timeoutMs }, 'remote embedder ready');
  return {
    modelId,
    dimension,
    embed: async (texts) => (await embedTimed(texts)).vectors,
    embedTimed,
    health(): EmbedderHealth {
      const s = breaker.snapshot();
      if (s.state === 'closed') return { state: 'up' };
      return { state: 'down', ...(s.lastError === undefined ? {} : { reason: s.lastError }), ...(s.openedAt === undefined ? {} : { since: s.openedAt }) };
    },
    stats: () => ({ ...counters }),
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const error = failed('embedder is closed');
      for (const w of queue.splice(0)) w.reject(error);
      await client.close();
    },
  };
}
