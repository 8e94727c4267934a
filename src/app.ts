// buildApp registers every plugin in the order a request meets them, and never listens.
import { randomUUID } from 'node:crypto';
import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { describeStore } from './config-store.js';
import type { SharedSums } from './finops/fleet-window.js';
import { createRedisCounters } from './finops/redis-counters.js';
import type { Embedder } from './embed/embedder.js';
import { createRoutePolicy } from './finops/cheap-route.js';
import { createMetrics, type Metrics } from './finops/metrics.js';
import { metricsRoutes } from './finops/metrics-routes.js';
import { healthRoutes, type ReadinessCheck } from './health-routes.js';
import { installErrorHandlers } from './http-errors.js';
import { createLogger } from './logger.js';
import { cachePlugin, type CacheStatus } from './pipeline/cache-plugin.js';
import { RESPONSE_HEADER } from './semcache-headers.js';
import { passthroughRoutes } from './upstream/passthrough-routes.js';
import { createUpstream, upstreamNotConfigured, type Upstream } from './upstream/upstream.js';

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
  const upstream = createUpstream({
    url,
    timeoutMs: config.upstream.timeoutMs,
    connections: config.upstream.connections,
    ...(dispatcher === undefined ? {} : { dispatcher }),
  });
  if (dispatcher === undefined) app.addHook('onClose', async () => upstream.dispatcher.close());
  return upstream;
}

/** With a Redis store, CP1KT targets are judged on the fleet's window: counters shared in Redis. */
function fleetCounters(config: Config, logger: FastifyBaseLogger): SharedSums | undefined {
  const { spec } = config.store;
  if (spec.kind !== 'redis') return undefined;
  return createRedisCounters({
    url: spec.url,
    prefix: config.store.prefix,
    windowMs: config.metrics.windowSeconds * 1000,
    logger,
    caFile: config.store.tlsCaFile,
    describe: describeStore(spec),
  });
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const app = createHttpServer(config, deps);
  installErrorHandlers(app);
  const upstream = upstreamFor(app, config, config.upstream.url, deps.dispatcher);
  const cheapUpstream = upstreamFor(app, config, config.metrics.route.cheapUpstreamUrl);
  const metrics =
    deps.metrics ??
    createMetrics({
      config: config.metrics,
      logger: app.log,
      shared: fleetCounters(config, app.log),
      ...(deps.now === undefined ? {} : { now: deps.now }),
      ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    });
  app.addHook('onClose', async () => metrics.close());

  // One log line per request, after the response: no prompts, no headers that carry keys.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      // The path only: a query string may carry a key.
      {
        method: request.method,
        url: request.url.split('?')[0],
        statusCode: reply.statusCode,
        responseTimeMs: Number(reply.elapsedTime.toFixed(2)),
        cacheStatus: reply.getHeader(RESPONSE_HEADER.status),
      },
      'request completed',
    );
  });

  let cacheStatus: (() => CacheStatus | undefined) | undefined;
  const checks: ReadinessCheck[] = [
    { name: 'upstream', check: () => (upstream !== undefined ? { state: 'ready' } : { state: 'not ready', detail: 'no upstream configured' }) },
    {
      name: 'embedder',
      check() {
        if (cacheStatus === undefined) return { state: 'not ready', detail: 'loading' };
        // Down is not unready: requests go on through the exact tier and the upstream.
        const down = cacheStatus()?.embedderDown;
        return down === undefined ? { state: 'ready' } : { state: 'degraded', detail: down };
      },
    },
    {
      name: 'store',
      unreadyWhenDegraded: !config.store.readyWhenDegraded,
      check() {
        const status = cacheStatus?.();
        if (status === undefined) return { state: 'ready' };
        const { store, indexBehind } = status;
        const info = { kind: config.store.spec.kind, indexBehind, ...(store.lagMs === undefined ? {} : { replicaLagMs: store.lagMs }) };
        return store.state === 'ok' ? { state: 'ready', info } : { state: 'degraded', detail: store.detail ?? 'degraded', info };
      },
    },
  ];
  app.register(healthRoutes, { checks });
  app.register(metricsRoutes, { metrics });
  const routeFor = createRoutePolicy({ route: config.metrics.route, labels: metrics.labels, breachedTargets: () => metrics.breachedTargets() });
  app.register(cachePlugin, {
    config,
    upstream,
    cheapUpstream,
    metrics,
    routeFor,
    embedder: deps.embedder,
    now: deps.now,
    onReady: (status) => (cacheStatus = status),
  });
  if (upstream !== undefined) {
    app.register(passthroughRoutes, { upstream });
  } else {
    app.register(async (scope) => {
      scope.all('/v1/*', async () => upstreamNotConfigured());
    });
  }
  return app;
}
