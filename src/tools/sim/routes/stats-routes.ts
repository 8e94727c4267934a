// GET /sim/stats, POST /sim/reset and POST /sim/keys: the simulator's own control routes, outside
// `/v1` so that reading them never shows up in the stats they report.

import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../sim-context.js';
import { resetSimStats } from '../sim-stats.js';

export function registerStatsRoutes(app: FastifyInstance, context: SimContext): void {
  app.get('/sim/stats', async () => context.stats);
  app.post('/sim/reset', async (_request, reply) => {
    resetSimStats(context.stats);
    return reply.code(204).send();
  });
  // {"refuse": ["sk-a"], "accept": ["sk-b"], "requireKey": true}: revoke keys, accept them again,
  // refuse or accept requests without a key.
  app.post('/sim/keys', async (request, reply) => {
    const body = request.body as { refuse?: unknown; accept?: unknown; requireKey?: unknown } | null;
    if (typeof body?.requireKey === 'boolean') context.keys.requireKey = body.requireKey;
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : []);
    for (const key of list(body?.refuse)) context.keys.refused.add(key);
    for (const key of list(body?.accept)) context.keys.refused.delete(key);
    return reply.send({ refused: context.keys.refused.size });
  });
}
