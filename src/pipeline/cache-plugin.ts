// The cache as one fastify plugin: it loads the embedder (before the app is ready), builds the
// guards and the engine, registers the cached routes, one per wire format (cached, or forwarded as
// they are when the cache is off), every /admin route and the dashboard, and frees it all when the
// app closes.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { adminRoutes } from '../admin/admin-routes.js';
import { dashboardRoutes } from '../dashboard/dashboard-routes.js';
import { createRecentLookups, type RecentLookups } from '../dashboard/recent-lookups.js';
import { createCacheEngine, type CacheEngine, type Hit } from '../cache/cache-engine.js';
import { readSnapshot } from '../cache/index-snapshot.js';
import { createGuardStage, DEFAULT_GUARD_NAMES } from '../cache/guards/index.js';
import type { Config } from '../config.js';
import { createEmbedder } from '../embed/create-embedder.js';
import { embedderDownReason, registerEmbedderGauge } from '../embed/embedder-health.js';
import { embedderSpec } from '../embed/embedder-spec.js';
import type { Embedder } from '../embed/embedder.js';
import type { RoutePolicy } from '../finops/cheap-route.js';
import type { Metrics } from '../finops/metrics.js';
import { upstreamNotConfigured, type Upstream } from '../upstream/upstream.js';
import { describeStore } from '../config-store.js';
import { createStore } from '../store/create-store.js';
import type { Store, StoreHealth } from '../store/store.js';
import type { EntryValue } from '../cache/cache-engine.js';
import { createCacheHandler } from './cache-handler.js';
import { completionRoutes } from './completion-routes.js';
import { createForwardingHandler } from './forwarding-handler.js';
import { lookupObserver } from './lookup-observer.js';
import { createKeyStage, type KeyStage } from './key-stage.js';
import { createKeyVerdicts } from './key-verdicts.js';
import { createShadowVerifier } from './shadow-verifier.js';
import { createSingleFlight } from './single-flight.js';

const SWEEP_INTERVAL_MAX_MS = 60_000;
/** Shadow checks in flight at once; past it a hit is simply not checked. */
const SHADOW_MAX_IN_FLIGHT = 4;

export interface CachePluginOptions {
  readonly config: Config;
  readonly upstream: Upstream | undefined;
  readonly cheapUpstream: Upstream | undefined;
  readonly metrics: Metrics;
  readonly routeFor: RoutePolicy;
  /** An embedder to use instead of loading the configured one (several apps in a test can share one). */
  readonly embedder?: Embedder | undefined;
  readonly now?: (() => number) | undefined;
  /** Called once the routes can serve (the embedder is loaded, or no cache is needed), with what
   * /readyz reports of the cache from then on. */
  readonly onReady: (status: () => CacheStatus | undefined) => void;
}

export interface CacheStatus {
  readonly store: StoreHealth;
  readonly indexBehind: number;
  /** Why the embedder cannot compute vectors now (exact hits only meanwhile), or undefined. */
  readonly embedderDown: string | undefined;
}

async function loadEmbedder(app: FastifyInstance, options: CachePluginOptions): Promise<Embedder> {
  if (options.embedder !== undefined) return options.embedder;
  const { embed } = options.config;
  const embedder = await createEmbedder({ backend: embedderSpec(options.config.embed), workers: embed.workers, maxBatch: embed.maxBatch, logger: app.log });
  app.addHook('onClose', async () => embedder.close());
  return embedder;
}

/** While the embedder fails (a remote endpoint down: every request fails to embed) one line a
 * minute says so, with how many failures it stands for, instead of one per request. */
const EMBED_ERROR_LOG_MS = 60_000;

function embedErrorLog(log: FastifyBaseLogger): (error: unknown) => void {
  let lastLogged = -Infinity;
  let suppressed = 0;
  return (error) => {
    const now = performance.now();
    if (now - lastLogged < EMBED_ERROR_LOG_MS) {
      suppressed++;
      return;
    }
    log.error({ err: error, failuresSinceLastLine: suppressed }, 'embedding failed: serving from the exact tier and the upstream only');
    lastLogged = now;
    suppressed = 0;
  };
}

function buildEngine(config: Config, embedder: Embedder, store: Store<EntryValue>, options: { metrics: Metrics; log: FastifyBaseLogger }): CacheEngine {
  const { cache } = config;
  const guards = createGuardStage(cache.guards === 'default' ? DEFAULT_GUARD_NAMES : cache.guards, {
    support: { confidentSimilarity: cache.supportSimilarity, penaltyPerWord: cache.supportPenalty },
    maxWords: cache.guardMaxWords,
  });
  options.log.info({ embedder: embedder.modelId, dimension: embedder.dimension, guards: guards.names, threshold: cache.threshold }, 'cache ready');
  return createCacheEngine({
    semanticEnabled: cache.semantic,
    embedder,
    guards,
    store,
    onEvict: (reason) => options.metrics.recordEviction(reason),
    ambiguityMargin: cache.ambiguityMargin,
    onEmbedError: embedErrorLog(options.log),
  });
}

/** Opens the store and the engine over it (reading back the saved index), and closes them with the
 * app: the index is saved, then the store writes what is pending. */
async function openEngine(app: FastifyInstance, config: Config, options: CachePluginOptions): Promise<{ engine: CacheEngine; embedder: Embedder }> {
  const { cache } = config;
  const limits = { maxEntries: cache.maxEntries, maxBytes: cache.maxBytes, ttlMs: cache.ttlSeconds * 1000 };
  const started = performance.now();
  // The model loads in its workers while the store reads its file or syncs from Redis.
  const loading = loadEmbedder(app, options);
  let store: Store<EntryValue>;
  try {
    store = await createStore<EntryValue>(config.store, { limits, logger: app.log, now: options.now });
  } catch (error) {
    await loading.then((embedder) => embedder.close()).catch(() => undefined);
    throw error;
  }
  const { indexDir, indexSaveSeconds } = config.store;
  const storeMs = performance.now() - started;
  // The saved index is read while the model still loads; it is adopted once the model is known.
  const read = indexDir === undefined ? undefined : readSnapshot(indexDir);
  const indexMs = performance.now() - started;
  const embedder = await loading;
  const embedderMs = performance.now() - started;
  const engine = buildEngine(config, embedder, store, { metrics: options.metrics, log: app.log });
  const snapshot = await engine.open({ snapshot: read });
  const held = engine.stats();
  const ms = { store: Math.round(storeMs), index: Math.round(indexMs), embedder: Math.round(embedderMs), total: Math.round(performance.now() - started) };
  app.log.info(
    { store: describeStore(config.store.spec), entries: held.entries, indexed: held.vectors, indexBehind: engine.indexLag(), savedIndex: snapshot, ms },
    'cache store open',
  );
  // A periodic save that finds the last one still running skips its turn; closing waits for it,
  // then saves what changed since.
  let saving: Promise<void> | undefined;
  const save = (): Promise<void> | undefined => {
    if (indexDir === undefined || saving !== undefined) return saving;
    const started = engine.saveIndex(indexDir).catch((error: unknown) => app.log.error({ err: error, indexDir }, 'saving the semantic index failed'));
    saving = started.finally(() => {
      saving = undefined;
    });
    return saving;
  };
  const timer = indexDir !== undefined && indexSaveSeconds > 0 ? setInterval(() => void save(), indexSaveSeconds * 1000).unref() : undefined;
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await saving;
    await save();
    await store.close();
  });
  return { engine, embedder };
}

/** Expired entries are dropped on read; the sweep frees the ones nobody reads again. */
function sweepExpired(app: FastifyInstance, engine: CacheEngine, ttlSeconds: number): void {
  if (ttlSeconds <= 0) return;
  const timer = setInterval(() => void engine.sweepExpired(), Math.min(SWEEP_INTERVAL_MAX_MS, ttlSeconds * 100));
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

function keyStage(upstream: Upstream, options: CachePluginOptions): KeyStage {
  const { config, metrics } = options;
  const { keys } = config;
  const verdicts = createKeyVerdicts({
    upstream,
    checkPath: keys.checkPath,
    checkTimeoutMs: keys.checkTimeoutMs,
    ttlMs: keys.verdictTtlSeconds * 1000,
    ...(options.now === undefined ? {} : { now: options.now }),
    onCheck: (result) => metrics.recordKeyCheck(result),
  });
  return createKeyStage({ config: keys, sharedNamespaces: config.cache.sharedNamespaces, verdicts, onRefusal: (reason) => metrics.recordKeyRefusal(reason) });
}

function cachedHandler(
  app: FastifyInstance,
  upstream: Upstream,
  engine: CacheEngine,
  embedder: Embedder,
  options: CachePluginOptions,
  recent: RecentLookups | undefined,
) {
  const { config, metrics } = options;
  const { cache } = config;
  const shadow =
    cache.shadowFraction > 0
      ? createShadowVerifier({
          fraction: cache.shadowFraction,
          agreement: cache.shadowAgreement,
          maxInFlight: SHADOW_MAX_IN_FLIGHT,
          upstream,
          embedder,
          logger: app.log,
        })
      : undefined;
  if (shadow !== undefined) app.addHook('onClose', async () => shadow.settled());
  return createCacheHandler({
    engine,
    scope: { thresholds: { threshold: cache.threshold, min: cache.thresholdMin, max: cache.thresholdMax }, sharedNamespaces: cache.sharedNamespaces },
    flights: createSingleFlight<Hit>(),
    upstream,
    cheapUpstream: options.cheapUpstream,
    routeFor: options.routeFor,
    record: (record) => metrics.record(record),
    trackInFlight: (delta) => metrics.setInFlight(delta),
    keys: keyStage(upstream, options),
    shadow,
    recordShadow: (check) => metrics.recordShadow(check),
    observe:
      recent === undefined
        ? undefined
        : lookupObserver(
            (event) => recent.record(event),
            (keyHash) => config.metrics.tenantAliases.get(keyHash),
          ),
  });
}

export async function cachePlugin(app: FastifyInstance, options: CachePluginOptions): Promise<void> {
  const { config, upstream, metrics } = options;
  const bodyLimitBytes = config.server.bodyLimitBytes;
  let engine: CacheEngine | undefined;
  let cachedEmbedder: Embedder | undefined;
  const recent = config.admin.recentLookups > 0 ? createRecentLookups(config.admin.recentLookups) : undefined;
  if (upstream === undefined) {
    app.register(completionRoutes, { bodyLimitBytes, handle: async () => upstreamNotConfigured() });
  } else if (!config.cache.enabled) {
    app.register(completionRoutes, { bodyLimitBytes, handle: createForwardingHandler(upstream) });
  } else {
    const opened = await openEngine(app, config, options);
    engine = opened.engine;
    const { embedder } = opened;
    cachedEmbedder = embedder;
    registerEmbedderGauge(metrics.registry, embedder);
    const cached = engine;
    metrics.setIndexStats(() => {
      const stats = cached.stats();
      const health = cached.health();
      return {
        entries: stats.entries,
        bytes: stats.bytes + stats.indexBytes,
        indexBehind: cached.indexLag(),
        storeDegraded: health.state === 'degraded' ? 1 : 0,
        replicaLagSeconds: (health.lagMs ?? 0) / 1000,
        storeWriteErrors: health.writeErrors ?? 0,
      };
    });
    sweepExpired(app, engine, config.cache.ttlSeconds);
    app.register(completionRoutes, { bodyLimitBytes, handle: cachedHandler(app, upstream, engine, embedder, options, recent) });
  }
  app.register(adminRoutes, { token: config.admin.token, metrics, engine });
  app.register(dashboardRoutes, { token: config.admin.token, metrics, engine, recent });
  const cached = engine;
  const embedderNow = cachedEmbedder;
  options.onReady(() =>
    cached === undefined ? undefined : { store: cached.health(), indexBehind: cached.indexLag(), embedderDown: embedderDownReason(embedderNow) },
  );
}
