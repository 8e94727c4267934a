// Builds the cache (embedder, entry store, semantic tier, guards, engine) and owns its lifetime:
// the embedder is loaded before the app is ready and closed with the app; expired entries are swept.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { createEmbedder, type EmbedderSpec } from '../embed/create-embedder.js';
import type { Embedder } from '../embed/embedder.js';
import { embedderSpec } from '../embed/embedder-spec.js';
import { createCacheEngine, removeVectorOnEvict, type CacheEngine, type CacheEntry, type EntryValue } from './cache-engine.js';
import { createEntryStore, type EvictReason } from './entry-store.js';
import { createGuardStage, DEFAULT_GUARD_NAMES } from './guards/index.js';
import { createSemanticTier, type SemanticTier } from './semantic-tier.js';

const SWEEP_INTERVAL_MAX_MS = 60_000;

export function backendSpec(config: Config): EmbedderSpec {
  return embedderSpec(config.embed);
}

export interface CacheParts {
  readonly engine: CacheEngine;
  readonly embedder: Embedder;
}

export async function createCacheParts(
  app: FastifyInstance,
  config: Config,
  options: { embedder?: Embedder; onEvict?: (reason: EvictReason) => void; now?: () => number },
): Promise<CacheParts> {
  const ownsEmbedder = options.embedder === undefined;
  const embedder =
    options.embedder ??
    (await createEmbedder({ backend: backendSpec(config), workers: config.embed.workers, maxBatch: config.embed.maxBatch, logger: app.log }));
  if (ownsEmbedder) app.addHook('onClose', async () => embedder.close());

  let semantic: SemanticTier | undefined;
  const removeVector = removeVectorOnEvict(() => semantic as SemanticTier);
  const entries = createEntryStore<EntryValue>({
    maxEntries: config.cache.maxEntries,
    maxBytes: config.cache.maxBytes,
    ttlMs: config.cache.ttlSeconds * 1000,
    ...(options.now === undefined ? {} : { now: options.now }),
    onEvict: (entry: CacheEntry, reason) => {
      removeVector(entry, reason);
      engine?.forget(entry.id);
      options.onEvict?.(reason);
    },
  });
  semantic = createSemanticTier({ dimension: embedder.dimension });
  const guards = createGuardStage(config.cache.guards === 'default' ? DEFAULT_GUARD_NAMES : config.cache.guards, {
    support: { confidentSimilarity: config.cache.supportSimilarity, penaltyPerWord: config.cache.supportPenalty },
    maxWords: config.cache.guardMaxWords,
  });
  const engine = createCacheEngine({
    semanticEnabled: config.cache.semantic,
    embedder,
    entries,
    semantic,
    guards,
    ambiguityMargin: config.cache.ambiguityMargin,
    onEmbedError: (error) => app.log.error({ err: error }, 'embedding failed: serving from the exact tier and the upstream only'),
  });

  if (config.cache.ttlSeconds > 0) {
    const timer = setInterval(() => entries.sweepExpired(), Math.min(SWEEP_INTERVAL_MAX_MS, config.cache.ttlSeconds * 100));
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  app.log.info({ embedder: embedder.modelId, dimension: embedder.dimension, guards: guards.names, threshold: config.cache.threshold }, 'cache ready');
  return { engine, embedder };
}
