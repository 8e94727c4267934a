// The docker stack and the example pricing files can only be checked statically here: every
// semcache_ series the alert rules and the dashboard query must be one createMetrics registers,
// and the examples must parse.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { createMetrics } from '../../src/finops/metrics.js';
import { parsePricing } from '../../src/config-pricing-file.js';
import { fakeLogger, metricsConfig } from './metrics-fixtures.js';

const root = new URL('../..', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

function registeredNames(): Set<string> {
  const metrics = createMetrics({ config: metricsConfig({ models: [], targets: [] }), logger: fakeLogger() });
  const names = new Set<string>();
  for (const { name, type } of metrics.registry.getMetricsAsArray()) {
    names.add(name);
    if (String(type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

function usedNames(text: string): string[] {
  return [...new Set(text.match(/semcache_[a-z0-9_]+/g) ?? [])].sort();
}

describe('docker stack files', () => {
  const registered = registeredNames();

  it('alert rules query only series createMetrics registers', () => {
    const used = usedNames(read('docker/alerts.yml'));

    expect(used).toEqual(['semcache_cp1kt_breach', 'semcache_cp1kt_target_usd', 'semcache_cp1kt_usd', 'semcache_requests_total']);
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('the Grafana dashboard is JSON and queries only series createMetrics registers', () => {
    const text = read('docker/grafana/dashboards/semcache.json');
    const dashboard = JSON.parse(text) as { panels: unknown[] };
    const used = usedNames(text);

    expect(dashboard.panels).toHaveLength(8);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });
});

describe('example pricing files', () => {
  it('parse without problems', () => {
    const gpu = parsePricing(read('bench/pricing/gpu-provisioned.yaml'), 'yaml');
    const api = parsePricing(read('bench/pricing/api-price.json'), 'json');

    expect([gpu.problems, api.problems]).toEqual([[], []]);
    expect(gpu.pricing.models.map((m) => m.kind)).toEqual(['gpu', 'gpu', 'api', 'gpu']);
    expect(api.pricing.targets).toEqual([
      { scope: 'overall', name: 'all', cp1ktUsd: 0.004 },
      { scope: 'tenant', name: 'analytics', cp1ktUsd: 0.002 },
    ]);
  });
});
