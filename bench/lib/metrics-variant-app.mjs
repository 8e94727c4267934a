// The cached routes wired as src/app.ts wires them (registerCache), with one switch the app does not
// have: metrics on (createMetrics, record + setIndexStats per request, as app.ts does) or off (no-ops).
// Both variants share every other line, so the difference between them is the metrics' cost. Keep in
// step with registerCache in src/app.ts.

import { randomUUID } from 'node:crypto';
import { fastify, LogController } from 'fastify';
import { createCacheHandler } from '../../dist/cache/cache-handler.js';
import { createCacheParts } from '../../dist/cache/cache-plugin.js';
import { createSingleFlight } from '../../dist/cache/single-flight.js';
import { installErrorHandlers } from '../../dist/http-errors.js';
import { createLogger } from '../../dist/logger.js';
import { createMetrics } from '../../dist/metrics/metrics.js';
import { completionRoutes } from '../../dist/proxy/completion-routes.js';
import { createUpstream } from '../../dist/proxy/upstream.js';

const PRIMARY = { name: 'primary' };

export function buildMetricsVariantApp(config, { metrics: metricsOn }) {
  const app = fastify({
    loggerInstance: createLogger(config.server.logLevel),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: config.server.bodyLimitBytes,
    return503OnClosing: true,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
  });
  installErrorHandlers(app);
  const upstream = createUpstream({ url: config.upstream.url, timeoutMs: config.upstream.timeoutMs, connections: config.upstream.connections });
  app.addHook('onClose', async () => upstream.dispatcher.close());
  const metrics = metricsOn ? createMetrics({ config: config.metrics, logger: app.log }) : undefined;
  if (metrics !== undefined) app.addHook('onClose', async () => metrics.close());
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url, statusCode: reply.statusCode, responseTimeMs: Number(reply.elapsedTime.toFixed(2)), cacheStatus: reply.getHeader('x-semcache-status') },
      'request completed',
    );
  });
  app.register(async (scope) => {
    const { engine } = await createCacheParts(scope, config, { onEvict: (reason) => metrics?.recordEviction(reason) });
    const handle = createCacheHandler({
      engine,
      upstream,
      cheapUpstream: undefined,
      config: config.cache,
      flights: createSingleFlight(),
      record:
        metrics === undefined
          ? () => {}
          : (record) => {
              metrics.record(record);
              metrics.setIndexStats({ entries: engine.entries.size, bytes: engine.entries.bytes + engine.semantic.bytes });
            },
      routeFor: metrics === undefined ? () => PRIMARY : (request) => metrics.routeFor(request),
      trackInFlight: metrics === undefined ? () => {} : (delta) => metrics.setInFlight(delta),
      // Shadow checks (sampled bypasses compared with the cache) arrived in app.ts after this file was written.
      recordShadow: metrics === undefined ? () => {} : (check) => metrics.recordShadow?.(check),
    });
    scope.register(completionRoutes, { bodyLimitBytes: config.server.bodyLimitBytes, handle });
  });
  return app;
}
