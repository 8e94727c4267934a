import { fastify } from 'fastify';
import { describe, it, expect } from 'vitest';
import { adminRoutes } from '../../src/admin/admin-routes.js';
import { createMetrics } from '../../src/finops/metrics.js';
import { metricsRoutes } from '../../src/finops/metrics-routes.js';
import { fakeLogger, metricsConfig, parsePrometheus, record, sum, T0 } from './metrics-fixtures.js';

const ADMIN_TOKEN = 'admin-secret';

function appWithMetrics() {
  const pricing = {
    models: [{ kind: 'api' as const, model: 'gpt-4o', name: 'openai', inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: undefined }],
    targets: [],
  };
  const metrics = createMetrics({ config: metricsConfig(pricing), logger: fakeLogger(), now: () => T0 });
  const app = fastify();
  app.register(metricsRoutes, { metrics });
  app.register(adminRoutes, { token: ADMIN_TOKEN, metrics, engine: undefined });
  return { app, metrics };
}

describe('metrics routes', () => {
  it('serves /metrics in the Prometheus text format with its content type', async () => {
    const { app, metrics } = appWithMetrics();
    metrics.record(record({ processed: { input: 1000, output: 500 } }));

    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sum(parsePrometheus(response.body), 'semcache_spend_usd_total')).toBeCloseTo(0.002, 15);
    await app.close();
  });

  it('serves /admin/costs with the same spend as /metrics', async () => {
    const { app, metrics } = appWithMetrics();
    metrics.record(record({ processed: { input: 1000, output: 500 } }));
    metrics.record(record({ cacheStatus: 'exact-hit', saved: { input: 1000, output: 500 } }));

    const costs = await app.inject({ method: 'GET', url: '/admin/costs', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await app.inject({ method: 'GET', url: '/metrics' });
    const body = costs.json<{ spendUsd: number; savedUsd: number; requests: { hitRate: number } }>();

    expect(costs.statusCode).toBe(200);
    expect(body.spendUsd).toBeCloseTo(sum(parsePrometheus(text.body), 'semcache_spend_usd_total'), 15);
    expect(body.savedUsd).toBeCloseTo(0.002, 15);
    expect(body.requests.hitRate).toBe(0.5);
    await app.close();
  });
});
