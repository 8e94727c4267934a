// The docker stack and the example pricing files can only be checked statically here: every
// semcache_ series the alert rules and the dashboard query must be one createMetrics registers,
// and the examples must parse.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
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

describe('the fleet stack (docker/compose.fleet.yaml)', () => {
  const compose = parseYaml(read('docker/compose.fleet.yaml')) as {
    services: Record<string, { environment?: Record<string, string>; ports?: string[] }>;
    'x-replica': { environment: Record<string, string> };
  };
  const prometheus = parseYaml(read('docker/prometheus.fleet.yml')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };

  it('runs two replicas on one Redis, with one store and prefix, on two ports', () => {
    const replicas = Object.entries(compose.services).filter(([name]) => name.startsWith('semcache-'));
    expect(replicas.map(([name]) => name)).toEqual(['semcache-a', 'semcache-b']);
    expect(compose['x-replica'].environment).toMatchObject({ SEMCACHE_STORE: 'redis://redis:6379', SEMCACHE_STORE_PREFIX: 'semcache' });
    expect(replicas.map(([, service]) => service.ports)).toEqual([['8080:8080'], ['8081:8080']]);
    expect(Object.keys(compose.services)).toContain('redis');
  });

  it('has Prometheus scrape both replicas', () => {
    expect(prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets))).toEqual(['semcache-a:8080', 'semcache-b:8080']);
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
