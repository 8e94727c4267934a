// SEMCACHE_EMBEDDER=openai: embeddings from an OpenAI-compatible /v1/embeddings endpoint the team
// already runs. Texts are batched (batch-queue.ts), so a burst of prompts costs a few calls rather
// than one per prompt. A circuit breaker stops waiting on an endpoint that fails; meanwhile every text
// fails at once and the cache degrades to its exact tier (cache-engine.ts), so clients see no error.
//
// The model id names the endpoint's model and the dimension learnt from its first answer (checked on
// every answer after), so entries of two models never share a partition.

import type { Dispatcher } from 'undici';
import { SemcacheError } from '../../errors.js';
import type { LogSink } from '../../logger.js';
import type { Embedder, EmbedderHealth, TimedVectors } from '../embedder.js';
import { toUnitVector } from '../unit-vector.js';
import { createBatchQueue, type Waiting } from './batch-queue.js';
import { createCircuitBreaker, type BreakerSnapshot, type CircuitBreaker } from './circuit-breaker.js';
import { createEmbeddingsClient, EmbeddingsCallError, type EmbeddingsClient } from './embeddings-client.js';

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
  readonly logger?: LogSink;
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
/** A batch waiting behind a call goes once no text has joined it for this long. Prompts of a burst
 * reach the embedder a few tenths of a millisecond apart (the proxy handles them one by one). */
export const BATCH_QUIET_MS = 1;
const PROBE_TEXT = 'dimension probe';

type Counters = { -readonly [K in keyof RemoteEmbedderStats]: RemoteEmbedderStats[K] };

export async function createRemoteEmbedder(options: RemoteEmbedderOptions): Promise<RemoteEmbedder> {
  const { spec, logger, maxBatch } = options;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const endpoint = `${spec.url.origin}${spec.url.pathname.replace(/\/+$/, '')}/embeddings`;
  const client = createEmbeddingsClient({
    url: spec.url,
    model: spec.model,
    apiKey: spec.apiKey,
    timeoutMs: spec.timeoutMs,
    connections: maxInFlight,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  const counters: Counters = { calls: 0, texts: 0, requests: 0, failedRequests: 0, failedFast: 0, largestBatch: 0 };
  // The breaker keeps the summary (no endpoint body), which /readyz shows; the log gets the whole message.
  let lastError: EmbeddingsCallError | undefined;
  let closed = false;
  const onChange = (s: BreakerSnapshot): void => {
    if (s.state === 'open')
      logger?.warn(
        { endpoint, failures: s.consecutiveFailures, reason: lastError?.message },
        'embeddings endpoint failing: semantic lookups off (exact tier and upstream only)',
      );
    else if (s.state === 'closed') logger?.info({ endpoint }, 'embeddings endpoint answering again: semantic lookups on');
  };
  const breaker = createCircuitBreaker({ ...(options.breaker ?? DEFAULT_BREAKER), onChange, ...(options.now === undefined ? {} : { now: options.now }) });
  const scrub = scrubber(spec.apiKey);
  const recordFailure = (error: unknown): void => {
    counters.failedRequests++;
    lastError = scrub(error);
    breaker.failure(new Error(lastError.summary));
  };

  counters.requests++;
  const dimension = await learnDimension(client, spec, endpoint, scrub).catch(async (error: unknown) => {
    if (error instanceof SemcacheError || spec.dimension === undefined) {
      await client.close();
      throw error instanceof SemcacheError
        ? error
        : new SemcacheError(
            'SEMCACHE_ERR_EMBED_LOAD_FAILED',
            `embeddings endpoint ${endpoint} did not answer at start (${scrub(error).message}); set SEMCACHE_EMBED_DIMENSION to start without it`,
            { cause: error },
          );
    }
    // A dimension was given: start with the circuit open; the first probe comes after the cooldown.
    recordFailure(error);
    breaker.trip(new Error(lastError?.summary));
    return spec.dimension;
  });
  const modelId = `openai:${spec.model}-${dimension}`;
  const failed = (message: string, cause?: unknown): SemcacheError =>
    new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', `embedding failed: ${message}`, cause === undefined ? {} : { cause });

  const queue = createBatchQueue(
    { maxBatch, batchWaitMs: spec.batchWaitMs, quietMs: BATCH_QUIET_MS, maxInFlight },
    { blocked: () => breaker.blocked(), acquire: () => breaker.tryAcquire() },
    {
      send: (batch) => call(batch),
      failWaiting(waiting) {
        counters.failedFast += waiting.length;
        const error = failed(`embeddings endpoint ${endpoint} is failing (${breaker.snapshot().lastError ?? 'circuit open'})`);
        for (const w of waiting) w.reject(error);
      },
    },
  );

  async function call(batch: Waiting[]): Promise<void> {
    counters.requests++;
    counters.largestBatch = Math.max(counters.largestBatch, batch.length);
    const started = performance.now();
    try {
      const vectors = await client.embed(batch.map((w) => w.text));
      const wrong = vectors.find((v) => v.length !== dimension);
      if (wrong !== undefined)
        throw new EmbeddingsCallError(
          `embeddings endpoint ${endpoint} now gives ${wrong.length}-dimensional vectors, not ${dimension}: has its model changed?`,
        );
      breaker.success();
      // The endpoint's time, shared by the texts of the call: the nearest thing to a compute cost here.
      const computeMs = (performance.now() - started) / batch.length;
      batch.forEach((w, i) => w.resolve({ vector: toUnitVector(vectors[i] as Float32Array), computeMs }));
    } catch (error) {
      settleFailedCall(batch, scrub(error), breaker, { retryAlone: (b) => queue.retryAlone(b), recordFailure, failed });
    }
  }

  async function embedTimed(texts: readonly string[]): Promise<TimedVectors> {
    if (closed) throw failed('embedder is closed');
    counters.calls++;
    counters.texts += texts.length;
    // OpenAI refuses an empty input; there is nothing to match it on anyway.
    const results = await Promise.all(texts.map((text) => (text === '' ? Promise.reject(failed('an empty text has no embedding')) : queue.push(text))));
    return { vectors: results.map((r) => r.vector), computeMs: results.reduce((sum, r) => sum + r.computeMs, 0) };
  }

  logger?.info({ modelId, dimension, endpoint, maxBatch, batchWaitMs: spec.batchWaitMs, timeoutMs: spec.timeoutMs }, 'remote embedder ready');
  return {
    modelId,
    dimension,
    embed: async (texts) => (await embedTimed(texts)).vectors,
    embedTimed,
    health: () => healthOf(breaker.snapshot()),
    stats: () => ({ ...counters }),
    async close() {
      if (closed) return;
      closed = true;
      queue.close(failed('embedder is closed'));
      await client.close();
    },
  };
}

async function learnDimension(
  client: EmbeddingsClient,
  spec: RemoteEmbedderSpec,
  endpoint: string,
  scrub: (error: unknown) => EmbeddingsCallError,
): Promise<number> {
  let probe: Float32Array | undefined;
  try {
    [probe] = await client.embed([PROBE_TEXT]);
  } catch (error) {
    throw scrub(error);
  }
  const learnt = probe?.length ?? 0;
  if (spec.dimension !== undefined && learnt !== spec.dimension) {
    throw new SemcacheError(
      'SEMCACHE_ERR_EMBED_LOAD_FAILED',
      `embeddings endpoint ${endpoint} gives ${learnt}-dimensional vectors for model "${spec.model}", not the ${spec.dimension} configured (SEMCACHE_EMBED_DIMENSION)`,
    );
  }
  return learnt;
}

/** A refused batch (400, 413, 422) means the endpoint is up: its texts go again one per call, and
 * only a text refused alone fails. Anything else is a failure of the endpoint. */
function settleFailedCall(
  batch: readonly Waiting[],
  error: EmbeddingsCallError,
  breaker: CircuitBreaker,
  actions: { retryAlone(batch: readonly Waiting[]): void; recordFailure(error: unknown): void; failed(message: string, cause?: unknown): SemcacheError },
): void {
  if (error.perText) {
    breaker.success();
    if (batch.length > 1) return actions.retryAlone(batch);
  } else {
    actions.recordFailure(error);
  }
  const rejection = actions.failed(error.message, error);
  for (const w of batch) w.reject(rejection);
}

function healthOf(s: BreakerSnapshot): EmbedderHealth {
  if (s.state === 'closed') return { state: 'up' };
  return { state: 'down', ...(s.lastError === undefined ? {} : { reason: s.lastError }), ...(s.openedAt === undefined ? {} : { since: s.openedAt }) };
}

/** The key never leaves the Authorization header: scrubbed from anything an endpoint might echo. */
function scrubber(apiKey: string | undefined): (error: unknown) => EmbeddingsCallError {
  const clean = (text: string): string => (apiKey === undefined || apiKey === '' ? text : text.replaceAll(apiKey, '***'));
  return (error) => {
    if (error instanceof EmbeddingsCallError)
      return new EmbeddingsCallError(clean(error.message), { summary: clean(error.summary), ...(error.status === undefined ? {} : { status: error.status }) });
    return new EmbeddingsCallError(clean(error instanceof Error ? error.message : String(error)));
  };
}
