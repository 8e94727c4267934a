// /healthz: the process is alive. /readyz: it can serve (upstream configured, models loaded).
import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  readonly name: string;
  ready(): boolean;
}

export async function healthRoutes(app: FastifyInstance, options: { checks: readonly ReadinessCheck[] }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const failing = options.checks.filter((check) => !check.ready()).map((check) => check.name);
    if (failing.length > 0) return reply.code(503).send({ status: 'not ready', failing });
    return { status: 'ready' };
  });
}
