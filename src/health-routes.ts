// /healthz: the process is alive. /readyz: it can serve (upstream configured, models loaded), and
// says what it serves without (200, status "degraded", e.g. the embedder down: exact hits only).
import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  readonly name: string;
  ready(): boolean;
  /** Why this part works only in part while the app still serves, or undefined. */
  degraded?(): string | undefined;
}

export async function healthRoutes(app: FastifyInstance, options: { checks: readonly ReadinessCheck[] }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const failing = options.checks.filter((check) => !check.ready()).map((check) => check.name);
    if (failing.length > 0) return reply.code(503).send({ status: 'not ready', failing });
    const degraded = Object.fromEntries(options.checks.flatMap((check) => {
      const reason = check.degraded?.();
      return reason === undefined ? [] : [[check.name, reason]];
    }));
    return Object.keys(degraded).length > 0 ? { status: 'degraded', degraded } : { status: 'ready' };
  });
}
