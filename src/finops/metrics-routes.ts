// GET /metrics: the app's own registry in Prometheus text format.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

export async function metricsRoutes(app: FastifyInstance, options: { metrics: Metrics }): Promise<void> {
  const { registry } = options.metrics;
  app.get('/metrics', async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}
