// How the app shows the embedder's health: a reason for /readyz while it is down, and the gauge
// semcache_embedder_up. Down does not mean unready: requests still go through the exact tier and the
// upstream, so the proxy keeps serving and /readyz reports it degraded.
import { Gauge, type Registry } from 'prom-client';
import type { Embedder } from './embedder.js';

export const EMBEDDER_UP_GAUGE = 'semcache_embedder_up';

/** Why semantic lookups are off right now, or undefined while the embedder works (or there is none yet). */
export function embedderDownReason(embedder: Embedder | undefined): string | undefined {
  const health = embedder?.health?.();
  if (health === undefined || health.state === 'up') return undefined;
  return health.reason ?? 'embedder down';
}

/** Registers semcache_embedder_up: 1 while the embedder computes vectors, 0 while it fails. */
export function registerEmbedderGauge(registry: Registry, embedder: Embedder): void {
  // An app built again on the same registry (tests, the bench) replaces the gauge of the old one.
  registry.removeSingleMetric(EMBEDDER_UP_GAUGE);
  new Gauge({
    name: EMBEDDER_UP_GAUGE,
    help: '1 while the embedder computes vectors; 0 while it fails and the cache serves exact hits only',
    registers: [registry],
    collect() {
      this.set(embedderDownReason(embedder) === undefined ? 1 : 0);
    },
  });
}
