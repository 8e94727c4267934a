// A Metrics (src/finops/metrics.ts) that records nothing: injected into buildApp as deps.metrics,
// it gives the "metrics off" app of bench/metrics-overhead.mjs, identical to the real one otherwise.
import { Registry } from 'prom-client';

export function createNoMetrics() {
  const noop = () => undefined;
  return {
    registry: new Registry(),
    costModel: undefined,
    record: noop,
    labels: { tenant: () => 'other', useCase: () => 'none', model: (model) => model, reason: (name) => name },
    breachedTargets: () => [],
    costsReport: () => ({}),
    setIndexStats: noop,
    recordEviction: noop,
    recordGuardRejection: noop,
    setInFlight: noop,
    recordShadow: noop,
    close: async () => undefined,
  };
}
