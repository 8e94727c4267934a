import { describe, it, expect } from 'vitest';
import { createMetrics } from '../../src/finops/metrics.js';
import type { Pricing } from '../../src/config-pricing.js';
import { fakeLogger, metricsConfig, parsePrometheus, record, sum, T0, value } from './metrics-fixtures.js';

const API_PRICING: Pricing = {
  models: [{ kind: 'api', model: 'gpt-4o*', name: 'openai', inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: undefined }],
  targets: [],
};

const GPU_PRICING: Pricing = {
  models: [
    { kind: 'gpu', model: 'llama-3-70b', name: 'stated', usdPerGpuHour: 2, gpus: 1, tokensPerSecond: 500 },
    { kind: 'gpu', model: 'llama-3-*', name: 'measured', usdPerGpuHour: 2, gpus: 1, tokensPerSecond: undefined },
  ],
  targets: [],
};

function setup(pricing: Pricing, overrides: Parameters<typeof metricsConfig>[1] = {}) {
  const clock = { now: T0 };
  const logger = fakeLogger();
  const metrics = createMetrics({ config: metricsConfig(pricing, overrides), logger, now: () => clock.now });
  const scrape = async () => parsePrometheus(await metrics.registry.metrics());
  return { clock, logger, metrics, scrape };
}

/** Two misses (alice/chat, an unmapped key/summarize), a semantic hit and an exact hit, API-priced. */
function apiSequence(metrics: ReturnType<typeof setup>['metrics']): void {
  metrics.record(record({ processed: { input: 1000, output: 1000 }, embedComputeMs: 18 }));
  metrics.record(record({ keyHash: 'ffffffffffffffff', useCaseHeader: 'summarize', processed: { input: 3000, output: 0 }, embedComputeMs: 18 }));
  metrics.record(
    record({
      cacheStatus: 'semantic-hit',
      saved: { input: 1000, output: 1000 },
      similarity: 0.97,
      embedComputeMs: 36,
      durations: { totalMs: 6, firstByteMs: 6, upstreamMs: undefined, embedMs: 4, searchMs: 0.3 },
    }),
  );
  metrics.record(
    record({
      cacheStatus: 'exact-hit',
      useCaseHeader: undefined,
      saved: { input: 500, output: 0 },
      durations: { totalMs: 0.7, firstByteMs: 0.7, upstreamMs: undefined, embedMs: undefined, searchMs: undefined },
    }),
  );
}

describe('createMetrics with API prices', () => {
  it('counts requests by endpoint, model and cache status', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    const samples = await scrape();

    expect(value(samples, 'semcache_requests_total', { model: 'gpt-4o', cache_status: 'miss', endpoint: 'chat' })).toBe(2);
    expect(value(samples, 'semcache_requests_total', { cache_status: 'semantic-hit' })).toBe(1);
    expect(value(samples, 'semcache_requests_total', { cache_status: 'exact-hit' })).toBe(1);
  });

  it('counts processed and saved tokens apart, so hits never add to processed', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    const samples = await scrape();

    expect(value(samples, 'semcache_tokens_processed_total', { model: 'gpt-4o', type: 'input' })).toBe(4000);
    expect(value(samples, 'semcache_tokens_processed_total', { model: 'gpt-4o', type: 'output' })).toBe(1000);
    expect(value(samples, 'semcache_tokens_saved_total', { model: 'gpt-4o', type: 'input' })).toBe(1500);
    expect(value(samples, 'semcache_tokens_saved_total', { model: 'gpt-4o', type: 'output' })).toBe(1000);
  });

  it('ignores processed tokens a hit record carries, and saved tokens a miss carries', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    metrics.record(record({ cacheStatus: 'semantic-hit', processed: { input: 9, output: 9 }, saved: { input: 10, output: 0 } }));
    metrics.record(record({ cacheStatus: 'miss', processed: { input: 20, output: 0 }, saved: { input: 99, output: 99 } }));
    const samples = await scrape();

    expect(sum(samples, 'semcache_tokens_processed_total')).toBe(20);
    expect(sum(samples, 'semcache_tokens_saved_total')).toBe(10);
  });

  it('exports spend, saved spend, embedding cost and net savings in USD', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    const samples = await scrape();
    const embedding = (72 / 3.6e6) * 0.04;

    expect(value(samples, 'semcache_spend_usd_total', { tenant: 'alice', use_case: 'chat', model: 'gpt-4o' })).toBeCloseTo(0.003, 15);
    expect(value(samples, 'semcache_spend_usd_total', { tenant: 'other', use_case: 'summarize' })).toBeCloseTo(0.003, 15);
    expect(value(samples, 'semcache_saved_usd_total', { tenant: 'alice', use_case: 'chat' })).toBeCloseTo(0.003, 15);
    expect(value(samples, 'semcache_saved_usd_total', { tenant: 'alice', use_case: 'none' })).toBeCloseTo(0.0005, 15);
    expect(value(samples, 'semcache_embedding_cost_usd_total')).toBeCloseTo(embedding, 15);
    expect(value(samples, 'semcache_net_saved_usd')).toBeCloseTo(0.0035 - embedding, 15);
  });

  it('exports CP1KT overall and per model, tenant and use case, in the window and since start', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    const samples = await scrape();
    const cp1kt = (scope: string, name: string, window = 'window') => value(samples, 'semcache_cp1kt_usd', { scope, name, window });

    expect(cp1kt('overall', 'all')).toBeCloseTo((0.006 / 5000) * 1000, 15);
    expect(cp1kt('overall', 'all', 'since_start')).toBeCloseTo(0.0012, 15);
    expect(cp1kt('model', 'gpt-4o')).toBeCloseTo(0.0012, 15);
    expect(cp1kt('tenant', 'alice')).toBeCloseTo(0.0015, 15);
    expect(cp1kt('tenant', 'other')).toBeCloseTo(0.001, 15);
    expect(cp1kt('use_case', 'chat')).toBeCloseTo(0.0015, 15);
    expect(cp1kt('use_case', 'summarize')).toBeCloseTo(0.001, 15);
    // overall, one model, two tenants, two use cases; window and since start each.
    expect(samples.filter((s) => s.name === 'semcache_cp1kt_usd')).toHaveLength(12);
  });

  it('drops the windowed CP1KT when the window passes, keeping the since-start one', async () => {
    const { clock, metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    clock.now = T0 + 3_600_000;
    const samples = await scrape();

    expect(samples.filter((s) => s.name === 'semcache_cp1kt_usd' && s.labels['window'] === 'window')).toEqual([]);
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'overall', window: 'since_start' })).toBeCloseTo(0.0012, 15);
  });

  it('observes latencies in seconds and the similarity of semantic hits', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    const samples = await scrape();

    expect(value(samples, 'semcache_request_duration_seconds_bucket', { cache_status: 'exact-hit', le: '0.0005' })).toBe(0);
    expect(value(samples, 'semcache_request_duration_seconds_bucket', { cache_status: 'exact-hit', le: '0.001' })).toBe(1);
    expect(value(samples, 'semcache_request_duration_seconds_sum', { cache_status: 'miss' })).toBeCloseTo(2.4, 12);
    expect(value(samples, 'semcache_upstream_duration_seconds_count')).toBe(2);
    expect(value(samples, 'semcache_time_to_first_byte_seconds_count', { cache_status: 'semantic-hit' })).toBe(1);
    expect(value(samples, 'semcache_embedding_duration_seconds_count')).toBe(3);
    expect(value(samples, 'semcache_index_search_duration_seconds_sum')).toBeCloseTo(0.0007, 12);
    expect(value(samples, 'semcache_hit_similarity_bucket', { le: '0.96' })).toBe(0);
    expect(value(samples, 'semcache_hit_similarity_bucket', { le: '0.97' })).toBe(1);
  });

  it('counts routes of upstream requests, evictions, guard rejections, index size and in-flight requests', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    metrics.record(record({ route: 'cheap', guardRejected: 'numbers', processed: { input: 1, output: 1 } }));
    metrics.recordEviction('ttl');
    metrics.recordEviction('ttl');
    metrics.recordEviction('capacity');
    metrics.recordGuardRejection('quantities');
    metrics.setIndexStats({ entries: 42, bytes: 4096, indexBehind: 7, storeDegraded: 0 });
    metrics.setInFlight(1);
    metrics.setInFlight(1);
    metrics.setInFlight(-1);
    const samples = await scrape();

    expect(value(samples, 'semcache_route_total', { route: 'primary' })).toBe(2);
    expect(value(samples, 'semcache_route_total', { route: 'cheap' })).toBe(1);
    expect(value(samples, 'semcache_evictions_total', { reason: 'ttl' })).toBe(2);
    expect(value(samples, 'semcache_evictions_total', { reason: 'capacity' })).toBe(1);
    expect(value(samples, 'semcache_guard_rejections_total', { guard: 'numbers' })).toBe(1);
    expect(value(samples, 'semcache_guard_rejections_total', { guard: 'quantities' })).toBe(1);
    expect(value(samples, 'semcache_index_entries')).toBe(42);
    expect(value(samples, 'semcache_index_bytes')).toBe(4096);
    expect(value(samples, 'semcache_index_behind_entries')).toBe(7);
    expect(value(samples, 'semcache_store_degraded')).toBe(0);
    expect(value(samples, 'semcache_upstream_in_flight')).toBe(1);
  });

  it('agrees with the costs report', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    apiSequence(metrics);
    const samples = await scrape();
    const report = metrics.costsReport();

    expect(report.spendUsd).toBeCloseTo(sum(samples, 'semcache_spend_usd_total'), 15);
    expect(report.savedUsd).toBeCloseTo(sum(samples, 'semcache_saved_usd_total'), 15);
    expect(report.embeddingCostUsd).toBeCloseTo(value(samples, 'semcache_embedding_cost_usd_total'), 15);
    expect(report.netSavedUsd).toBeCloseTo(value(samples, 'semcache_net_saved_usd'), 15);
    expect(report.tokens.processedInput + report.tokens.processedOutput).toBe(sum(samples, 'semcache_tokens_processed_total'));
    expect(report.tokens.savedInput + report.tokens.savedOutput).toBe(sum(samples, 'semcache_tokens_saved_total'));
    expect(report.requests.total).toBe(sum(samples, 'semcache_requests_total'));
    expect(report.requests.hitRate).toBe(0.5);
    expect(report.cp1kt.tenant['alice']?.windowUsd).toBeCloseTo(value(samples, 'semcache_cp1kt_usd', { scope: 'tenant', name: 'alice', window: 'window' }), 15);
    expect(report.cp1kt.overall['all']?.sinceStartUsd).toBeCloseTo(value(samples, 'semcache_cp1kt_usd', { scope: 'overall', window: 'since_start' }), 15);
    expect(report.topUseCases.map((u) => u.useCase)).toEqual(['chat', 'summarize']);
  });
});

describe('createMetrics with GPU prices', () => {
  it('prices stated-throughput and measured GPU models and exports their CP1KT', async () => {
    const { clock, metrics, scrape } = setup(GPU_PRICING);
    clock.now = T0 + 600_000;
    metrics.record(record({ model: 'llama-3-70b', processed: { input: 900, output: 100 } }));
    metrics.record(record({ model: 'llama-3-8b', processed: { input: 1500, output: 500 } }));
    clock.now = T0 + 1_200_000;
    metrics.record(record({ model: 'llama-3-8b', processed: { input: 1000, output: 0 } }));
    metrics.record(record({ model: 'llama-3-8b', cacheStatus: 'semantic-hit', saved: { input: 1000, output: 0 } }));
    // The measured deployment's spend is settled when its one-minute buckets close.
    expect(value(await scrape(), 'semcache_spend_usd_total', { model: 'llama-3-8b' })).toBeCloseTo(2 * (11 / 60), 12);
    clock.now = T0 + 1_260_000;
    const samples = await scrape();
    const stated = (1000 * 2) / (500 * 3600);
    // 2 USD/hour for the 21 minutes since start: minutes 0-10 on the first busy bucket, 11-20 on the second.
    const measured = 2 * (21 / 60);

    expect(value(samples, 'semcache_spend_usd_total', { model: 'llama-3-70b' })).toBeCloseTo(stated, 15);
    expect(value(samples, 'semcache_spend_usd_total', { model: 'llama-3-8b' })).toBeCloseTo(measured, 12);
    expect(value(samples, 'semcache_saved_usd_total', { model: 'llama-3-8b' })).toBeCloseTo((1000 * 2 * (1 / 3)) / 4000, 12);
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'model', name: 'llama-3-70b', window: 'window' })).toBeCloseTo(2 / 1.8e3, 12);
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'model', name: 'llama-3-8b', window: 'window' })).toBeCloseTo((measured / 3000) * 1000, 12);
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'overall', window: 'window' })).toBeCloseTo(((stated + measured) / 4000) * 1000, 12);
    expect(metrics.costsReport().spendUsd).toBeCloseTo(stated + measured, 12);
  });

  it("shares a measured bucket's spend among tenants by their tokens", async () => {
    const { clock, metrics, scrape } = setup(GPU_PRICING);
    metrics.record(record({ model: 'llama-3-8b', processed: { input: 3000, output: 0 } }));
    metrics.record(record({ model: 'llama-3-8b', keyHash: 'ffffffffffffffff', processed: { input: 1000, output: 0 } }));
    clock.now = T0 + 60_000;
    const samples = await scrape();

    expect(value(samples, 'semcache_spend_usd_total', { tenant: 'alice' })).toBeCloseTo((2 / 60) * 0.75, 15);
    expect(value(samples, 'semcache_spend_usd_total', { tenant: 'other' })).toBeCloseTo((2 / 60) * 0.25, 15);
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'tenant', name: 'alice', window: 'window' })).toBeCloseTo(
      value(samples, 'semcache_cp1kt_usd', { scope: 'tenant', name: 'other', window: 'window' }),
      15,
    );
  });

  it('leaves a measured GPU out of CP1KT until its bucket is settled, then prices its tokens at its spend', async () => {
    const { clock, metrics, scrape } = setup(GPU_PRICING);
    metrics.record(record({ model: 'llama-3-8b', processed: { input: 1000, output: 0 } }));
    const before = await scrape();
    expect(before.filter((s) => s.name === 'semcache_cp1kt_usd')).toEqual([]);
    expect(metrics.costsReport().cp1kt.model['llama-3-8b']).toBeUndefined();

    clock.now = T0 + 60_000;
    const after = await scrape();

    expect(value(after, 'semcache_cp1kt_usd', { scope: 'model', name: 'llama-3-8b', window: 'window' })).toBeCloseTo((2 / 60 / 1000) * 1000, 12);
    expect(value(after, 'semcache_tokens_processed_total', { model: 'llama-3-8b', type: 'input' })).toBe(1000);
  });

  it("keeps in a window only the spend of that window's own time, idle time before it included", () => {
    const { clock, metrics } = setup(GPU_PRICING);
    // 100 idle minutes, then 1,000 tokens every minute: the first busy minute also pays the hour
    // before it, but only its own minute of that hour stays in the window an hour later.
    for (let minute = 100; minute < 160; minute++) {
      clock.now = T0 + minute * 60_000;
      metrics.record(record({ model: 'llama-3-8b', processed: { input: 1000, output: 0 } }));
    }
    const model = metrics.costsReport().cp1kt.model['llama-3-8b'];

    // Settled: minutes 100-158 of the window 100-159, each 2/60 USD for 1,000 tokens.
    expect(model?.windowTokens).toBe(59_000);
    expect(model?.windowSpendUsd).toBeCloseTo(59 * (2 / 60), 12);
    expect(model?.windowUsd).toBeCloseTo((2 / 60 / 1000) * 1000, 12);
    // Since start: the hour before minute 100 (minutes 41-99) is paid too.
    expect(model?.sinceStartSpendUsd).toBeCloseTo((59 + 59) * (2 / 60), 12);
  });

  it('prices the observed traffic under every entry of a model in the what-if', () => {
    const pricing: Pricing = {
      models: [
        { kind: 'gpu', model: 'llama-3-*', name: 'l4', usdPerGpuHour: 1, gpus: 1, tokensPerSecond: 100 },
        { kind: 'api', model: 'llama-3-*', name: 'serverless', inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: undefined },
      ],
      targets: [],
    };
    const { clock, metrics } = setup(pricing, { windowSeconds: 600 });
    // A 600 s window has 10 s buckets. Ten of them: nine at 1,000 tokens (360,000/h), one burst at 10,000 (3.6M/h).
    for (let bucket = 0; bucket < 10; bucket += 1) {
      clock.now = T0 + bucket * 10_000;
      metrics.record(record({ model: 'llama-3-8b', processed: { input: bucket === 9 ? 10_000 : 1000, output: 0 } }));
    }

    const [whatIf] = metrics.costsReport().whatIf;

    expect(whatIf?.traffic).toEqual({ meanTokensPerHour: 684_000, peakTokensPerHour: 3_600_000, baselineTokensPerHour: 360_000, inputShare: 1 });
    expect(whatIf?.plans).toEqual([
      { plan: 'l4', kind: 'gpu', usdPerHour: 10, cp1ktUsd: expect.closeTo((10 / 684_000) * 1000, 12), replicas: 10, capacityKnown: true },
      { plan: 'serverless', kind: 'api', usdPerHour: expect.closeTo(0.684, 12), cp1ktUsd: expect.closeTo(0.001, 12) },
      {
        plan: 'l4 for the baseline + serverless for bursts',
        kind: 'mixed',
        usdPerHour: expect.closeTo(1 + 0.324, 12),
        cp1ktUsd: expect.closeTo((1.324 / 684_000) * 1000, 12),
        replicas: 1,
        capacityKnown: true,
      },
    ]);
    expect(whatIf?.cheapest).toBe('serverless');
  });
});

describe('createMetrics with unpriced models and many clients', () => {
  it('counts unpriced tokens apart, leaves them out of CP1KT, and warns once per model', async () => {
    const { metrics, logger, scrape } = setup(API_PRICING);
    metrics.record(record({ processed: { input: 1000, output: 0 } }));
    metrics.record(record({ model: 'mistral-7b', processed: { input: 5000, output: 100 } }));
    metrics.record(record({ model: 'mistral-7b', processed: { input: 5000, output: 100 } }));
    const samples = await scrape();

    expect(value(samples, 'semcache_tokens_unpriced_total', { model: 'mistral-7b', type: 'input' })).toBe(10_000);
    expect(value(samples, 'semcache_tokens_processed_total', { model: 'mistral-7b', type: 'input' })).toBe(10_000);
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'overall', window: 'window' })).toBeCloseTo(0.001, 15);
    expect(samples.some((s) => s.name === 'semcache_spend_usd_total' && s.labels['model'] === 'mistral-7b')).toBe(false);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => [l.object, l.message])).toEqual([
      [
        { model: 'mistral-7b', pricingFile: null },
        'model has no price in the pricing file: its tokens are counted as unpriced and left out of spend and CP1KT',
      ],
    ]);
  });

  it('keeps label cardinality bounded when 1,000 keys, tenants, use cases and models arrive', async () => {
    const { metrics, scrape } = setup(API_PRICING, { allowTenantHeader: true, tenants: ['carol'] });
    for (let i = 0; i < 1000; i += 1) {
      metrics.record(
        record({
          model: `gpt-4o-${i}`,
          keyHash: i.toString(16).padStart(16, '0'),
          tenantHeader: i % 3 === 0 ? `tenant-${i}` : i % 3 === 1 ? 'carol' : undefined,
          useCaseHeader: i % 2 === 0 ? `use-case-${i}` : 'chat',
          processed: { input: 10, output: 10 },
        }),
      );
    }
    const samples = await scrape();
    const distinct = (name: string, label: string) => new Set(samples.filter((s) => s.name === name).map((s) => s.labels[label])).size;

    expect(new Set(samples.filter((s) => s.name === 'semcache_spend_usd_total').map((s) => s.labels['tenant']))).toEqual(new Set(['other', 'carol']));
    expect(new Set(samples.filter((s) => s.name === 'semcache_spend_usd_total').map((s) => s.labels['use_case']))).toEqual(new Set(['other', 'chat']));
    expect(distinct('semcache_tokens_processed_total', 'model')).toBe(65);
    // 64 models with one (tenant, use case) each, and `other` with all four pairs.
    expect(samples.filter((s) => s.name === 'semcache_spend_usd_total')).toHaveLength(64 + 4);
    expect(samples.filter((s) => s.name === 'semcache_cp1kt_usd')).toHaveLength(2 * (1 + 65 + 2 + 2));
    expect(sum(samples, 'semcache_tokens_processed_total')).toBe(20_000);
  });

  it('gives no model label to made-up models of failed requests, and keeps the priced ones', async () => {
    const { metrics, scrape } = setup(API_PRICING);
    for (let i = 0; i < 100; i += 1) metrics.record(record({ model: `junk-${i}`, statusCode: 404, processed: undefined }));
    metrics.record(record({ model: 'real-model', processed: { input: 10, output: 10 } }));
    const models = new Set((await scrape()).filter((s) => s.name === 'semcache_requests_total').map((s) => s.labels['model']));
    expect(models).toEqual(new Set(['other', 'real-model']));
  });

  it('keeps two instances in one process apart', async () => {
    const first = setup(API_PRICING);
    const second = setup(API_PRICING);
    first.metrics.record(record({ processed: { input: 1000, output: 0 } }));

    expect(sum(await first.scrape(), 'semcache_requests_total')).toBe(1);
    expect(sum(await second.scrape(), 'semcache_requests_total')).toBe(0);
  });
});
