// /healthz: the process is alive. /readyz: it can serve (upstream configured, models loaded), and
// how well: a degraded part (the store unreachable) still serves, so it answers 200 unless the
// operator asked for 503, and says what is degraded and how far the semantic index is behind.
import type { FastifyInstance } from 'fastify';

export interface Readiness {
  readonly state: 'ready' | 'degraded' | 'not ready';
  readonly detail?: string;
  /** Figures shown under the check's name (e.g. the index's lag). */
  readonly info?: Readonly<Record<string, unknown>>;
}

export interface ReadinessCheck {
  readonly name: string;
  check(): Readiness;
  /** Answer 503 while this check is degraded. */
  readonly unreadyWhenDegraded?: boolean;
}

export async function healthRoutes(app: FastifyInstance, options: { checks: readonly ReadinessCheck[] }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = options.checks.map((check) => ({ check, result: check.check() }));
    const failing = results.filter(({ result }) => result.state === 'not ready').map(({ check }) => check.name);
    const degraded = Object.fromEntries(
      results.filter(({ result }) => result.state === 'degraded').map(({ check, result }) => [check.name, result.detail ?? 'degraded']),
    );
    const info = Object.fromEntries(results.filter(({ result }) => result.info !== undefined).map(({ check, result }) => [check.name, result.info]));
    const extra = { ...(Object.keys(degraded).length > 0 ? { degraded } : {}), ...info };
    if (failing.length > 0) return reply.code(503).send({ status: 'not ready', failing, ...extra });
    if (Object.keys(degraded).length > 0) {
      const strict = results.some(({ check, result }) => result.state === 'degraded' && check.unreadyWhenDegraded === true);
      return reply.code(strict ? 503 : 200).send({ status: 'degraded', ...extra });
    }
    return { status: 'ready', ...extra };
  });
}
