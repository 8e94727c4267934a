// A CP1KT alert is not lost to one failed POST: deliveries that fail for a reason that may pass (no
// connection, 429, 5xx) are retried after a doubling pause, a bounded number of times; every way a
// delivery ends is counted.
import { describe, expect, it } from 'vitest';
import { createBreachWebhook, type BreachEvent, type DeliveryResult } from '../../../src/finops/breach-webhook.js';
import { createMetrics } from '../../../src/finops/metrics.js';
import { startWebhookReceiver } from '../../helpers/webhook-receiver.js';
import { fakeLogger, metricsConfig, parsePrometheus, record, value } from '../metrics-fixtures.js';
import { T0 } from './finops-stack.js';

const FAST = { attempts: 4, firstDelayMs: 20, maxDelayMs: 40 };

function event(kind: 'breach' | 'recovery', observed: number | null): BreachEvent {
  return { event: kind, dimension: { scope: 'overall', name: 'all' }, target: 0.005, observed, window: { seconds: 3600 }, at: new Date(T0).toISOString() };
}

describe('CP1KT webhook retries', () => {
  it('delivers an event after the receiver refused it twice with 503, pausing longer each time', async () => {
    const receiver = await startWebhookReceiver({ refuse: [503, 503] });
    const logger = fakeLogger();
    const results: DeliveryResult[] = [];
    const webhook = createBreachWebhook({ url: new URL(receiver.url), fetch, logger, retry: FAST, onResult: (r) => results.push(r) });

    webhook.send(event('breach', 0.02));
    await webhook.settled();

    expect(await receiver.next()).toMatchObject({ event: 'breach', observed: 0.02 });
    expect(receiver.attempts).toBe(3);
    expect(results).toEqual(['delivered']);
    expect(logger.lines.map((l) => [l.message, (l.object as { status?: number; retryInMs?: number }).retryInMs])).toEqual([
      ['cp1kt webhook delivery failed, retrying', 20],
      ['cp1kt webhook delivery failed, retrying', 40],
    ]);
    await receiver.close();
  });

  it('gives up after the bounded number of attempts when nothing listens, and counts the failure', async () => {
    const receiver = await startWebhookReceiver();
    const url = new URL(receiver.url);
    await receiver.close(); // a port nothing listens on any more
    const logger = fakeLogger();
    const results: DeliveryResult[] = [];
    const webhook = createBreachWebhook({ url, fetch, logger, retry: FAST, onResult: (r) => results.push(r) });

    webhook.send(event('breach', 0.02));
    await webhook.settled();

    expect(results).toEqual(['failed']);
    expect(logger.lines.map((l) => l.message)).toEqual([...Array(3).fill('cp1kt webhook delivery failed, retrying'), 'cp1kt webhook delivery failed']);
    expect(logger.lines.at(-1)?.object).toMatchObject({ attempt: 4, attempts: 4 });
  });

  it('does not retry an event the receiver refuses with a 4xx other than 429', async () => {
    const receiver = await startWebhookReceiver({ refuse: [400] });
    const results: DeliveryResult[] = [];
    const webhook = createBreachWebhook({ url: new URL(receiver.url), fetch, logger: fakeLogger(), retry: FAST, onResult: (r) => results.push(r) });

    webhook.send(event('breach', 0.02));
    await webhook.settled();

    expect([receiver.attempts, results]).toEqual([1, ['failed']]);
    await receiver.close();
  });

  it('drops an event waiting to be retried when a newer one of its target arrives, and delivers the newer', async () => {
    const receiver = await startWebhookReceiver({ refuse: [503] });
    const results: DeliveryResult[] = [];
    const logger = fakeLogger();
    const webhook = createBreachWebhook({
      url: new URL(receiver.url),
      fetch,
      logger,
      retry: { attempts: 4, firstDelayMs: 200, maxDelayMs: 200 },
      onResult: (r) => results.push(r),
    });

    webhook.send(event('breach', 0.02));
    while (logger.lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 5)); // the first attempt was refused
    webhook.send(event('recovery', null));
    await webhook.settled();

    expect(results).toEqual(['superseded', 'delivered']);
    expect(await receiver.next()).toMatchObject({ event: 'recovery' });
    expect(receiver.pending()).toEqual([]);
    await receiver.close();
  });

  it('counts deliveries in semcache_cp1kt_webhook_deliveries_total, and close() stops retrying', async () => {
    const failing: typeof fetch = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const pricing = {
      models: [{ kind: 'api' as const, model: 'gpt-4o', name: 'openai', inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: undefined }],
      targets: [{ scope: 'overall' as const, name: 'all', cp1ktUsd: 0.0015 }],
    };
    const metrics = createMetrics({
      config: metricsConfig(pricing, { webhookUrl: new URL('http://127.0.0.1:9/hook') }),
      logger: fakeLogger(),
      now: () => T0,
      fetch: failing,
    });

    metrics.record(record({ processed: { input: 0, output: 1000 } }));
    const started = performance.now();
    await metrics.close();

    // Without close() cutting the pauses short, giving up would take 1 + 2 + 4 s.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(value(parsePrometheus(await metrics.registry.metrics()), 'semcache_cp1kt_webhook_deliveries_total', { result: 'failed' })).toBe(1);
  });
});
