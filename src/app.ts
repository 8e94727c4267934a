// buildApp registers every plugin in the order a request meets them, and never listens.
import { randomUUID } from 'node:crypto';
import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Dispatcher } from 'undici';
import { requireAdminToken } from './admin/admin-auth.js';
import { adminRoutes } from './admin/admin-routes.js';
import { createCacheHandler, type FlightResult } from './cache/cache-handler.js';
import { createCacheParts, type CacheParts } from './cache/cache-parts.js';
import { createShadowVerifier } from './cache/shadow-verifier.js';
import { createSingleFlight } from './cache/single-flight.js';
import type { Config } from './config.js';
import type { Embedder } from './embed/embedder.js';
import { embedderDownReason, registerEmbedderGauge } from './embed/embedder-health.js';
import { SemcacheError } from './errors.js';
import { healthRoutes, type ReadinessCheck } from './health-routes.js';
import { installErrorHandlers } from './http-errors.js';
import { createLogger } from './logger.js';
import { costsRoute } from './metrics/costs-route.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { metricsRoutes } from './metrics/metrics-routes.js';
import { completionRoutes, type CompletionHandler } from './proxy/completion-routes.js';
import { createForwardingHandler } from './proxy/forwarding-handler.js';
import { passthroughRoutes } from './proxy/passthrough-routes.js';
import { createUpstream, type Upstream } from './proxy/upstream.js';

export interface AppDeps {
  /** The dispatcher that reaches the upstream; a keep-alive Pool is created when not given. */
  readonly dispatcher?: Dispatcher;
  /** Where log lines go (stdout when not given); tests parse them. */
  readonly logStream?: DestinationStream;
  /** An embedder to use instead of loading the configured one (several apps in a test can share one). */
  readonly embedder?: Embedder;
  /** The clock of cache expiry and metric windows, for tests. */
  readonly now?: () => number;
  /** The fetch the CP1KT webhook is posted with. */
  readonly fetch?: typeof fetch;
  /** Metrics to report to instead of the app's own (the bench measures their cost this way). */
  readonly metrics?: Metrics;
}

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;
const PLUGIN_TIMEOUT_MS = 120_000;
/** Shadow checks in flight at once; past it a hit is simply not checked. */
const SHADOW_MAX_IN_FLIGHT = 4;

function notConfigured(): never {
  throw new SemcacheError('SEMCACHE_ERR_UPSTREAM_NOT_CONFIGURED', 'No upstream is configured: set SEMCACHE_UPSTREAM_URL (e.g. http://127.0.0.1:8000/v1).');
}

function createHttpServer(config: Config, deps: AppDeps): FastifyInstance {
  return fastify({
    // pino's Logger is a FastifyBaseLogger; the cast only drops pino's own generics.
    loggerInstance: createLogger(config.server.logLevel, deps.logStream) as FastifyBaseLogger,
    // One line per request is logged by the onResponse hook below, not fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: config.server.bodyLimitBytes,
    return503OnClosing: true,
    // Loading the embedding model happens while plugins register; on a busy machine it can take
    // longer than fastify's 10 s default.
    pluginTimeout: PLUGIN_TIMEOUT_MS,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
  });
}

function upstreamFor(app: FastifyInstance, config: Config, url: URL | undefined, dispatcher?: Dispatcher): Upstream | undefined {
  if (url === undefined) return undefined;
  const upstream = createUpstream({ url, timeoutMs: config.upstream.timeoutMs, connections: config.upstream.connections, ...(dispatcher === undefined ? {} : { dispatcher }) });
  if (dispatcher === undefined) app.addHook('onClose', async () => upstream.dispatcher.close());
  return upstream;
}

/** The cached routes and the cache's admin routes, once the embedder is loaded. */
function registerCache(app: FastifyInstance, config: Config, deps: AppDeps, parts: { upstream: Upstream | undefined; cheapUpstream: Upstream | undefined; metrics: Metrics; onReady: (cache: CacheParts) => void }): void {
  const { upstream, metrics } = parts;
  const bodyLimitBytes = config.server.bodyLimitBytes;
  app.register(async (scope) => {
    if (upstream === undefined || !config.cache.enabled) {
      const handle: CompletionHandler = upstream === undefined ? async () => notConfigured() : createForwardingHandler(upstream);
      scope.register(completionRoutes, { bodyLimitBytes, handle });
      return;
    }
    const cache = await createCacheParts(scope, config, {
      ...(deps.embedder === undefined ? {} : { embedder: deps.embedder }),
      ...(deps.now === undefined ? {} : { now: deps.now }),
      onEvict: (reason) => metrics.recordEviction(reason),
    });
    parts.onReady(cache);
    registerEmbedderGauge(metrics.registry, cache.embedder);
    const { engine } = cache;
    metrics.setIndexStats(() => ({ entries: engine.entries.size, bytes: engine.entries.bytes + engine.semantic.bytes }));
    const shadow =
      config.cache.shadowFraction > 0
        ? createShadowVerifier({ fraction: config.cache.shadowFraction, agreement: config.cache.shadowAgreement, maxInFlight: SHADOW_MAX_IN_FLIGHT, upstream, embedder: cache.embedder, logger: scope.log })
        : undefined;
    if (shadow !== undefined) scope.addHook('onClose', async () => shadow.settled());
    const handle = createCacheHandler({
      engine,
      upstream,
      cheapUpstream: parts.cheapUpstream,
      config: config.cache,
      flights: createSingleFlight<FlightResult>(),
      record: (record) => metrics.record(record),
      routeFor: (request) => metrics.routeFor(request),
      trackInFlight: (delta) => metrics.setInFlight(delta),
      shadow,
      recordShadow: (check) => metrics.recordShadow(check),
    });
    scope.register(completionRoutes, { bodyLimitBytes, handle });
    scope.register(async (admin) => {
      requireAdminToken(admin, config.admin.token);
      await adminRoutes(admin, { engine });
    });
  });
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const app = createHttpServer(config, deps);
  installErrorHandlers(app);
  const upstream = upstreamFor(app, config, config.upstream.url, deps.dispatcher);
  const cheapUpstream = upstreamFor(app, config, config.metrics.route.cheapUpstreamUrl);
  const metrics = deps.metrics ?? createMetrics({ config: config.metrics, logger: app.log, ...(deps.now === undefined ? {} : { now: deps.now }), ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) });
  app.addHook('onClose', async () => metrics.close());

  // One log line per request, after the response: no prompts, no headers that carry keys.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      // The path only: a query string may carry a key.
      { method: request.method, url: request.url.split('?')[0], statusCode: reply.statusCode, responseTimeMs: Number(reply.elapsedTime.toFixed(2)), cacheStatus: reply.getHeader('x-semcache-status') },
      'request completed',
    );
  });

  let cache: CacheParts | undefined;
  const checks: ReadinessCheck[] = [
    { name: 'upstream', ready: () => upstream !== undefined },
    { name: 'embedder', ready: () => !config.cache.enabled || upstream === undefined || cache !== undefined, degraded: () => embedderDownReason(cache?.embedder) },
  ];
  app.register(healthRoutes, { checks });
  app.register(metricsRoutes, { metrics });
  app.register(async (admin) => {
    requireAdminToken(admin, config.admin.token);
    await costsRoute(admin, { metrics });
  });
  registerCache(app, config, deps, { upstream, cheapUpstream, metrics, onReady: (parts) => (cache = parts) });
  if (upstream !== undefined) {
    app.register(passthroughRoutes, { upstream });
  } else {
    app.register(async (scope) => {
      scope.all('/v1/*', async () => notConfigured());
    });
  }
  return app;
}
