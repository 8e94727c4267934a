// CP1KT on a fleet's window (SEMCACHE_STORE=redis://...): two replicas' metrics share counters in a
// real Redis, so each judges targets and the cheap route on the traffic of both; since-start
// figures stay each replica's own; with the counters unreachable a replica goes on with its own.
import { afterAll, describe, expect, it } from 'vitest';
import { createRoutePolicy } from '../../src/finops/cheap-route.js';
import { createMetrics } from '../../src/finops/metrics.js';
import { createRedisCounters } from '../../src/finops/redis-counters.js';
import type { Pricing } from '../../src/config-pricing.js';
import { dropPrefix, sharedRedisReachable, testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { fakeLogger, metricsConfig, record } from './metrics-fixtures.js';

const redisUp = await sharedRedisReachable();
const prefix = testPrefix();
afterAll(async () => {
  if (redisUp) await dropPrefix(TEST_REDIS_URL, prefix);
});

const PRICING: Pricing = {
  models: [{ kind: 'api', model: 'gpt-4o', name: 'openai', inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: undefined }],
  targets: [{ scope: 'overall', name: 'all', cp1ktUsd: 0.0015 }],
};
const CHEAP = new URL('http://127.0.0.1:8001/v1');
const config = metricsConfig(PRICING, { route: { cheapUpstreamUrl: CHEAP, cheapModel: 'gpt-4o-mini', useCases: ['summarize'] } });

function replica(url = TEST_REDIS_URL) {
  const logger = fakeLogger();
  const shared = createRedisCounters({ url: new URL(url), prefix, windowMs: config.windowSeconds * 1000, logger, describe: 'test' });
  const metrics = createMetrics({ config, logger, shared });
  const routeFor = createRoutePolicy({ route: config.route, labels: metrics.labels, breachedTargets: () => metrics.breachedTargets() });
  return { metrics, routeFor, logger };
}

const overall = (r: ReturnType<typeof replica>) => r.metrics.costsReport().cp1kt.overall.all ?? { windowUsd: null, sinceStartUsd: null };

describe.skipIf(!redisUp)('the fleet CP1KT window', () => {
  it("judges targets and routes on both replicas' traffic", async () => {
    const a = replica();
    const b = replica();
    // B alone is under target: 1000 input tokens at $1/M = $0.001 per 1000 tokens.
    b.metrics.record(record({ processed: { input: 1000, output: 0 } }));
    expect(b.routeFor({ model: 'gpt-4o', useCaseHeader: 'summarize' }).name).toBe('primary');
    // A's expensive output tokens push the fleet over: (0.001 + 0.006) / 4000 tokens = 0.00175.
    a.metrics.record(record({ processed: { input: 0, output: 3000 } }));
    // Each replica's own traffic shows at once; the other's once the counters are exchanged (1 s).
    expect(overall(a).windowUsd).toBeCloseTo(0.002, 12);
    await expect.poll(() => b.routeFor({ model: 'gpt-4o', useCaseHeader: 'summarize' }).name, { timeout: 5000, interval: 100 }).toBe('cheap');
    expect(b.metrics.breachedTargets().map((t) => t.scope)).toEqual(['overall']);
    expect(overall(b).windowUsd).toBeCloseTo(0.00175, 12);
    await expect.poll(() => overall(a).windowUsd, { timeout: 5000, interval: 100 }).toBeCloseTo(0.00175, 12);
    // Since start, each replica keeps its own.
    expect(overall(b).sinceStartUsd).toBeCloseTo(0.001, 12);
    await a.metrics.close();
    await b.metrics.close();
  });

  it('goes on with its own traffic while the counters cannot be reached', async () => {
    const cut = replica('redis://127.0.0.1:9');
    cut.metrics.record(record({ processed: { input: 1000, output: 0 } }));
    expect(overall(cut).windowUsd).toBeCloseTo(0.001, 12);
    await expect
      .poll(() => cut.logger.lines.map((l) => l.message), { timeout: 5000 })
      .toContain("fleet CP1KT counters unreachable: judging targets on the last fleet figures and this replica's own traffic");
    await cut.metrics.close();
  });
});
