import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ConfigError, createConfigReader } from '../src/config-reader.js';
import { readMetricsConfig } from '../src/config-finops.js';
import { parsePricing } from '../src/config-pricing-file.js';

const GOOD_YAML = `
models:
  - model: "llama-3-*"
    kind: gpu
    usdPerGpuHour: 2.5
    gpus: 2
    tokensPerSecond: 2400
  - model: "llama-3-*"
    kind: api
    name: together
    inputPerMTok: 0.2
    outputPerMTok: 0.6
    cachedInputPerMTok: 0.1
targets:
  - scope: overall
    cp1ktUsd: 0.5
  - scope: use_case
    name: chat
    cp1ktUsd: 0.25
`;

function readWith(env: Record<string, string>) {
  const read = createConfigReader(env, new Map());
  const config = readMetricsConfig(read);
  return { config, finish: () => read.finish() };
}

function problemsOf(finish: () => void): readonly string[] {
  try {
    finish();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parsePricing', () => {
  it('reads both kinds and targets from YAML, naming entries by kind and pattern by default', () => {
    const { pricing, problems } = parsePricing(GOOD_YAML, 'yaml');

    expect(problems).toEqual([]);
    expect(pricing.models).toEqual([
      { kind: 'gpu', model: 'llama-3-*', name: 'gpu:llama-3-*', usdPerGpuHour: 2.5, gpus: 2, tokensPerSecond: 2400 },
      { kind: 'api', model: 'llama-3-*', name: 'together', inputPerMTok: 0.2, outputPerMTok: 0.6, cachedInputPerMTok: 0.1 },
    ]);
    expect(pricing.targets).toEqual([
      { scope: 'overall', name: 'all', cp1ktUsd: 0.5 },
      { scope: 'use_case', name: 'chat', cp1ktUsd: 0.25 },
    ]);
  });

  it('lists every bad field of every entry, not just the first', () => {
    const text = JSON.stringify({
      models: [
        { model: 'a', kind: 'api', inputPerMTok: -1, outputPerMTok: 'x', inputPerMtok: 3 },
        { model: '', kind: 'gpu', usdPerGpuHour: 2, gpus: 1.5 },
        { model: 'b', kind: 'tpu' },
      ],
      targets: [{ scope: 'team', cp1ktUsd: 0 }],
      extra: true,
    });

    const { pricing, problems } = parsePricing(text, 'json');

    expect(problems).toEqual([
      'extra is not a known top-level field (known: models, targets)',
      'models[0].inputPerMtok is not a known field (known: model, name, kind, inputPerMTok, outputPerMTok, cachedInputPerMTok)',
      'models[0].inputPerMTok must be a number >= 0 (got -1)',
      'models[0].outputPerMTok must be a number >= 0 (got "x")',
      'models[1].model must be a non-empty string (got "")',
      'models[1].gpus must be a whole number > 0 (got 1.5)',
      'models[2].kind must be "api" or "gpu" (got "tpu")',
      'targets[0].scope must be one of overall, model, tenant, use_case (got "team")',
      'targets[0].name must be a non-empty string (got nothing)',
      'targets[0].cp1ktUsd must be a number > 0 (got 0)',
    ]);
    expect(pricing.models).toEqual([]);
  });

  it('reports a file that is not valid YAML', () => {
    const { problems } = parsePricing('models: [', 'yaml');

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^not valid YAML: /);
  });
});

describe('readMetricsConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const { config, finish } = readWith({});

    expect(problemsOf(finish)).toEqual([]);
    expect(config).toMatchObject({
      pricingFile: undefined,
      pricing: { models: [], targets: [] },
      windowSeconds: 3600,
      allowTenantHeader: false,
      useCases: [],
      embedCpuHourUsd: 0.04,
      webhookUrl: undefined,
    });
    expect(config.tenantAliases.size).toBe(0);
  });

  it('reads the pricing file, aliases, use cases and the cheap route', () => {
    const dir = mkdtempSync(join(tmpdir(), 'semcache-pricing-'));
    const file = join(dir, 'pricing.yaml');
    writeFileSync(file, GOOD_YAML);

    const { config, finish } = readWith({
      SEMCACHE_PRICING_FILE: file,
      SEMCACHE_CP1KT_WINDOW_SECONDS: '600',
      SEMCACHE_TENANT_ALIASES: '0123456789abcdef=alice, fedcba9876543210=bob',
      SEMCACHE_ALLOW_TENANT_HEADER: 'true',
      SEMCACHE_TENANTS: 'carol',
      SEMCACHE_USE_CASES: 'chat,summarize',
      SEMCACHE_EMBED_CPU_HOUR_USD: '0.1',
      SEMCACHE_CP1KT_WEBHOOK_URL: 'http://127.0.0.1:9999/hook',
      SEMCACHE_ROUTE_CHEAP_UPSTREAM_URL: 'http://127.0.0.1:8001/v1',
      SEMCACHE_ROUTE_CHEAP_MODEL: 'llama-3-8b-q4',
      SEMCACHE_ROUTE_USE_CASES: 'summarize',
    });

    expect(problemsOf(finish)).toEqual([]);
    expect(config.pricing.models).toHaveLength(2);
    expect(config.windowSeconds).toBe(600);
    expect([...config.tenantAliases]).toEqual([
      ['0123456789abcdef', 'alice'],
      ['fedcba9876543210', 'bob'],
    ]);
    expect(config.tenants).toEqual(['carol']);
    expect(config.allowTenantHeader).toBe(true);
    expect(config.embedCpuHourUsd).toBe(0.1);
    expect(config.webhookUrl?.href).toBe('http://127.0.0.1:9999/hook');
    expect(config.route).toEqual({ cheapUpstreamUrl: new URL('http://127.0.0.1:8001/v1'), cheapModel: 'llama-3-8b-q4', useCases: ['summarize'] });
  });

  it('reports every bad pricing field and bad setting in one ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'semcache-pricing-'));
    const file = join(dir, 'pricing.json');
    writeFileSync(file, JSON.stringify({ models: [{ model: 'x', kind: 'gpu', usdPerGpuHour: 'two', gpus: 0 }] }));

    const { finish } = readWith({ SEMCACHE_PRICING_FILE: file, SEMCACHE_TENANT_ALIASES: 'nothex=alice', SEMCACHE_ROUTE_USE_CASES: 'batch' });

    expect(problemsOf(finish)).toEqual([
      `SEMCACHE_PRICING_FILE ${file}: models[0].usdPerGpuHour must be a number >= 0 (got "two")`,
      `SEMCACHE_PRICING_FILE ${file}: models[0].gpus must be a whole number > 0 (got 0)`,
      'SEMCACHE_TENANT_ALIASES item "nothex=alice" is not <16 hex chars of sha256(key)>=<name>',
      'SEMCACHE_ROUTE_CHEAP_MODEL and SEMCACHE_ROUTE_USE_CASES need SEMCACHE_ROUTE_CHEAP_UPSTREAM_URL',
      'SEMCACHE_ROUTE_USE_CASES names use cases not in SEMCACHE_USE_CASES: batch',
    ]);
  });

  it('reports a pricing file that cannot be read', () => {
    const { finish } = readWith({ SEMCACHE_PRICING_FILE: '/nonexistent/pricing.yaml' });

    const problems = problemsOf(finish);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SEMCACHE_PRICING_FILE="\/nonexistent\/pricing.yaml" cannot be read: ENOENT/);
  });
});
