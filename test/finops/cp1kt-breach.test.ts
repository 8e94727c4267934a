import { afterEach, describe, it, expect } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createRoutePolicy } from '../../src/finops/cheap-route.js';
import { createMetrics, type Metrics } from '../../src/finops/metrics.js';
import type { MetricsConfig } from '../../src/config-finops.js';
import type { Pricing } from '../../src/config-pricing.js';
import { fakeLogger, metricsConfig, parsePrometheus, record, T0, value } from './metrics-fixtures.js';

const CHEAP_URL = new URL('http://127.0.0.1:8001/v1');

const PRICING: Pricing = {
  models: [{ kind: 'api', model: 'gpt-4o', name: 'openai', inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: undefined }],
  targets: [{ scope: 'overall', name: 'all', cp1ktUsd: 0.0015 }],
};

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** The cheap-route policy the pipeline asks, reading these metrics' breach state. */
function routing(metrics: Metrics, config: MetricsConfig) {
  return createRoutePolicy({ route: config.route, labels: metrics.labels, breachedTargets: () => metrics.breachedTargets() });
}

function routeConfig(webhookUrl: URL | undefined) {
  return metricsConfig(PRICING, { webhookUrl, route: { cheapUpstreamUrl: CHEAP_URL, cheapModel: 'gpt-4o-mini', useCases: ['summarize'] } });
}

describe('CP1KT targets', () => {
  it('fires the webhook, routes the configured use case and low priority to the cheap upstream, and switches back', async () => {
    const hook = await startWebhookReceiver();
    receiver = hook;
    const logger = fakeLogger();
    const clock = { now: T0 };
    const config = routeConfig(new URL(hook.url));
    const metrics = createMetrics({ config, logger, now: () => clock.now });
    const routeFor = routing(metrics, config);
    const breach = async () => value(parsePrometheus(await metrics.registry.metrics()), 'semcache_cp1kt_breach', { scope: 'overall', name: 'all' });

    metrics.record(record({ processed: { input: 1000, output: 0 } })); // CP1KT 0.001
    expect(routeFor({ model: 'gpt-4o', useCaseHeader: 'summarize' })).toEqual({ name: 'primary' });
    expect(await breach()).toBe(0);

    metrics.record(record({ processed: { input: 0, output: 3000 } })); // 0.007 USD / 4000 tokens = 0.00175
    expect(await hook.next()).toEqual({
      event: 'breach',
      dimension: { scope: 'overall', name: 'all' },
      target: 0.0015,
      observed: expect.closeTo(0.00175, 15),
      window: { seconds: 3600 },
      at: new Date(T0).toISOString(),
    });
    expect(await breach()).toBe(1);
    expect(routeFor({ model: 'gpt-4o', useCaseHeader: 'summarize' })).toEqual({ name: 'cheap', upstreamUrl: CHEAP_URL, model: 'gpt-4o-mini' });
    expect(routeFor({ model: 'gpt-4o', useCaseHeader: 'chat', priority: 'low' })).toEqual({ name: 'cheap', upstreamUrl: CHEAP_URL, model: 'gpt-4o-mini' });
    expect(routeFor({ model: 'gpt-4o', useCaseHeader: 'chat' })).toEqual({ name: 'primary' });

    clock.now = T0 + 60_000;
    metrics.record(record({ processed: { input: 5000, output: 0 } })); // 0.012 USD / 9000 tokens = 0.00133
    expect(await hook.next()).toMatchObject({ event: 'recovery', observed: expect.closeTo(0.012 / 9, 15), at: new Date(T0 + 60_000).toISOString() });
    expect(await breach()).toBe(0);
    expect(routeFor({ model: 'gpt-4o', useCaseHeader: 'summarize', priority: 'low' })).toEqual({ name: 'primary' });
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'cp1kt target breached'],
      ['info', 'cp1kt back under target'],
    ]);
    await metrics.close();
  });

  it('recovers when the breaching traffic leaves the window', () => {
    const clock = { now: T0 };
    const config = routeConfig(undefined);
    const metrics = createMetrics({ config, logger: fakeLogger(), now: () => clock.now });
    const routeFor = routing(metrics, config);
    metrics.record(record({ processed: { input: 0, output: 1000 } }));
    expect(routeFor({ model: 'gpt-4o', priority: 'low' }).name).toBe('cheap');

    clock.now = T0 + 3_600_000;

    expect(routeFor({ model: 'gpt-4o', priority: 'low' }).name).toBe('primary');
  });

  it("moves only the breaching model when the target is a model's", () => {
    const pricing: Pricing = {
      ...PRICING,
      models: [...PRICING.models, { ...PRICING.models[0]!, model: 'gpt-4.1' }],
      targets: [{ scope: 'model', name: 'gpt-4o', cp1ktUsd: 0.0015 }],
    };
    const config = metricsConfig(pricing, { route: { cheapUpstreamUrl: CHEAP_URL, cheapModel: undefined, useCases: [] } });
    const metrics = createMetrics({ config, logger: fakeLogger(), now: () => T0 });
    const routeFor = routing(metrics, config);
    metrics.record(record({ processed: { input: 0, output: 1000 } }));

    expect(routeFor({ model: 'gpt-4o', priority: 'LOW' })).toEqual({ name: 'cheap', upstreamUrl: CHEAP_URL, model: 'gpt-4o' });
    expect(routeFor({ model: 'gpt-4.1', priority: 'low' })).toEqual({ name: 'primary' });
  });

  it('logs a failed webhook delivery instead of throwing', async () => {
    const logger = fakeLogger();
    const failing: typeof fetch = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const metrics = createMetrics({ config: routeConfig(new URL('http://127.0.0.1:9/hook')), logger, now: () => T0, fetch: failing });

    metrics.record(record({ processed: { input: 0, output: 1000 } }));
    await metrics.close();

    expect(logger.lines.map((l) => l.message)).toEqual(['cp1kt target breached', 'cp1kt webhook delivery failed']);
  });
});
