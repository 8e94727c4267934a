// GET /admin/costs: the costs report as JSON. Mount it inside the admin scope, behind the admin
// token check; it does no authentication of its own.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../finops/metrics.js';

export async function costsRoute(app: FastifyInstance, options: { metrics: Metrics }): Promise<void> {
  app.get('/admin/costs', async () => options.metrics.costsReport());
}
