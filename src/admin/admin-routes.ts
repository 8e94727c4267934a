// /admin: every route behind the admin token, registered in one place. The costs report is always
// there; the entry routes when the cache is on.
import type { FastifyInstance } from 'fastify';
import type { CacheEngine } from '../cache/cache-engine.js';
import type { Metrics } from '../finops/metrics.js';
import { requireAdminToken } from './admin-auth.js';
import { entryRoutes } from './entry-routes.js';

export async function adminRoutes(
  app: FastifyInstance,
  options: { token: string | undefined; metrics: Metrics; engine: CacheEngine | undefined },
): Promise<void> {
  requireAdminToken(app, options.token);
  // The costs report as JSON: the same figures /metrics exports, plus targets and the what-if.
  app.get('/admin/costs', async () => options.metrics.costsReport());
  if (options.engine !== undefined) await entryRoutes(app, { engine: options.engine });
}
