// GET /sim/stats and POST /sim/reset: the simulator's own control routes, outside `/v1` so that
// reading them never shows up in the stats they report.

import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../sim-context.js';
import { resetSimStats } from '../sim-stats.js';

export function registerStatsRoutes(app: FastifyInstance, context: SimContext): void {
  app.get('/sim/stats', async () => context.stats);
  app.post('/sim/reset', async (_request, reply) => {
    resetSimStats(context.stats);
    return reply.code(204).send();
  });
}
