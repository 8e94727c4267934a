// buildApp registers every plugin in the order a request meets them, and never listens.
import { randomUUID } from 'node:crypto';
import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { SemcacheError } from './errors.js';
import { healthRoutes, type ReadinessCheck } from './health-routes.js';
import { installErrorHandlers } from './http-errors.js';
import { createLogger } from './logger.js';
import { completionRoutes, type CompletionHandler } from './proxy/completion-routes.js';
import { createForwardingHandler } from './proxy/forwarding-handler.js';
import { passthroughRoutes } from './proxy/passthrough-routes.js';
import { adminRoutes } from './admin/admin-routes.js';
import { requireAdminToken } from './admin/admin-auth.js';
import { createCacheHandler } from './cache/cache-handler.js';
import { createCacheParts, type CacheParts } from './cache/cache-plugin.js';
import { createSingleFlight } from './cache/single-flight.js';
import type { CacheEntry } from './cache/cache-engine.js';
import type { Embedder } from './embed/embedder.js';
import type { RequestRecord } from './metrics/request-record.js';
import { createUpstream, type Upstream } from './proxy/upstream.js';

export interface AppDeps {
  /** The dispatcher that reaches the upstream; a keep-alive Pool is created when not given. */
  readonly dispatcher?: Dispatcher;
  /** Where log lines go (stdout when not given); tests parse them. */
  readonly logStream?: DestinationStream;
  /** An embedder to use instead of loading the configured one (several apps in a test can share one). */
  readonly embedder?: Embedder;
  /** The clock of cache expiry, for tests. */
  readonly now?: () => number;
}

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

function notConfigured(): never {
  throw new SemcacheError('SEMCACHE_ERR_UPSTREAM_NOT_CONFIGURED', 'No upstream is configured: set SEMCACHE_UPSTREAM_URL (e.g. http://127.0.0.1:8000/v1).');
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const app = fastify({
    // pino's Logger is a FastifyBaseLogger; the cast only drops pino's own generics.
    loggerInstance: createLogger(config.server.logLevel, deps.logStream) as FastifyBaseLogger,
    // One line per request is logged by the onResponse hook below, not fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: config.server.bodyLimitBytes,
    return503OnClosing: true,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
  });
  installErrorHandlers(app);

  const upstream: Upstream | undefined =
    config.upstream.url === undefined
      ? undefined
      : createUpstream({ url: config.upstream.url, timeoutMs: config.upstream.timeoutMs, connections: config.upstream.connections, dispatcher: deps.dispatcher });
  if (upstream !== undefined && deps.dispatcher === undefined) {
    app.addHook('onClose', async () => upstream.dispatcher.close());
  }

  // One log line per request, after the response: no prompts, no headers that carry keys.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url, statusCode: reply.statusCode, responseTimeMs: Number(reply.elapsedTime.toFixed(2)), cacheStatus: reply.getHeader('x-semcache-status') },
      'request completed',
    );
  });

  let cache: CacheParts | undefined;
  const checks: ReadinessCheck[] = [
    { name: 'upstream', ready: () => upstream !== undefined },
    { name: 'embedder', ready: () => !config.cache.enabled || cache !== undefined },
  ];
  app.register(healthRoutes, { checks });
  const record = (_record: RequestRecord): void => undefined;

  app.register(async (scope) => {
    if (upstream === undefined) {
      scope.register(completionRoutes, { bodyLimitBytes: config.server.bodyLimitBytes, handle: async () => notConfigured() });
      return;
    }
    if (!config.cache.enabled) {
      scope.register(completionRoutes, { bodyLimitBytes: config.server.bodyLimitBytes, handle: createForwardingHandler(upstream) });
      return;
    }
    cache = await createCacheParts(scope, config, { ...(deps.embedder === undefined ? {} : { embedder: deps.embedder }), ...(deps.now === undefined ? {} : { now: deps.now }) });
    const handle: CompletionHandler = createCacheHandler({ engine: cache.engine, upstream, config: config.cache, flights: createSingleFlight<CacheEntry>(), record });
    scope.register(completionRoutes, { bodyLimitBytes: config.server.bodyLimitBytes, handle });
    const engine = cache.engine;
    scope.register(async (admin) => {
      requireAdminToken(admin, config.admin.token);
      await adminRoutes(admin, { engine });
    });
  });

  if (upstream !== undefined) {
    app.register(passthroughRoutes, { upstream });
  } else {
    app.register(async (scope) => {
      scope.all('/v1/*', async () => notConfigured());
    });
  }
  return app;
}
