// The factory the app calls. `workers: 0` runs the model in the calling thread (for CLI tools such as
// calibrate, where blocking is fine and a thread start is not); otherwise a worker pool keeps the event
// loop free. A remote spec (`openai`) calls an embeddings endpoint instead, with no worker.
// No memo here: the cache's exact-match tier already skips re-embedding repeated prompts.

import { describeBackend, loadBackend, type BackendSpec, type EmbedBackend } from './embed-backend.js';
import type { LogSink } from '../logger.js';
import type { Embedder, TimedVectors } from './embedder.js';
import { createEmbedderPool } from './worker-pool.js';
import { createRemoteEmbedder, type RemoteEmbedderSpec } from './remote/remote-embedder.js';
import { SemcacheError } from '../errors.js';

/** A model run here (in workers or in-thread), or an endpoint that runs one. */
export type EmbedderSpec = BackendSpec | RemoteEmbedderSpec;

export interface CreateEmbedderOptions {
  readonly backend: EmbedderSpec;
  /** 0 = in the calling thread; otherwise the number of workers. Not used by a remote spec. */
  readonly workers: number;
  /** Largest number of texts the model (or one call to the endpoint) sees at once. */
  readonly maxBatch: number;
  /** onnxruntime intra-op threads per worker; the pool shares the cores among its workers by default. */
  readonly threadsPerWorker?: number;
  readonly logger?: LogSink;
}

export async function createEmbedder(options: CreateEmbedderOptions): Promise<Embedder> {
  const spec = options.backend;
  if (spec.kind === 'openai') {
    return createRemoteEmbedder({ spec, maxBatch: options.maxBatch, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  }
  if (options.workers !== 0) return createEmbedderPool({ ...options, backend: spec });
  if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
  }
  let backend: EmbedBackend;
  try {
    backend = await loadBackend(spec);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const label = describeBackend(spec);
    throw new SemcacheError('SEMCACHE_ERR_EMBED_LOAD_FAILED', `embedding model ${label} failed to load: ${reason}`, { cause });
  }
  options.logger?.info({ modelId: backend.modelId, dimension: backend.dimension }, 'embedding model ready in-thread');
  return inThreadEmbedder(backend, options.maxBatch);
}

function inThreadEmbedder(backend: EmbedBackend, maxBatch: number): Embedder {
  return {
    modelId: backend.modelId,
    dimension: backend.dimension,
    embed: async (texts) => (await embedTimed(texts)).vectors,
    embedTimed,
    health: () => ({ state: 'up' }),
    async close() {},
  };

  async function embedTimed(texts: readonly string[]): Promise<TimedVectors> {
    const started = performance.now();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += maxBatch) {
      vectors.push(...(await backend.embed(texts.slice(start, start + maxBatch))));
    }
    return { vectors, computeMs: performance.now() - started };
  }
}
