import { describe, it, expect } from 'vitest';
import { createCostModel } from '../../src/finops/cost-model.js';
import { compileModelGlob } from '../../src/finops/model-glob.js';
import type { Pricing } from '../../src/config-pricing.js';
import { T0 } from './metrics-fixtures.js';

const HOUR_MS = 3_600_000;

const PRICING: Pricing = {
  models: [
    { kind: 'api', model: 'gpt-4o*', name: 'openai', inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 },
    { kind: 'gpu', model: 'llama-3-70b', name: 'h100x4', usdPerGpuHour: 3, gpus: 4, tokensPerSecond: 2000 },
    { kind: 'gpu', model: 'llama-3-*', name: 'l4', usdPerGpuHour: 2, gpus: 1, tokensPerSecond: undefined },
    { kind: 'api', model: 'llama-3-*', name: 'serverless', inputPerMTok: 0.2, outputPerMTok: 0.2, cachedInputPerMTok: undefined },
  ],
  targets: [],
};

const LABELS = { model: 'llama-3-8b', tenant: 'alice', useCase: 'support' };
const OTHER_LABELS = { model: 'llama-3-8b', tenant: 'bob', useCase: 'none' };

function usdNow(cost: ReturnType<ReturnType<typeof createCostModel>['processed']>): number {
  return cost?.kind === 'now' ? cost.usd : Number.NaN;
}

function modelAt(start = T0) {
  const clock = { now: start };
  return { clock, costs: createCostModel(PRICING, () => clock.now, HOUR_MS) };
}

describe('compileModelGlob', () => {
  it('matches * and ? and treats the rest literally', () => {
    expect(compileModelGlob('llama-3-*')('llama-3-8b-instruct')).toBe(true);
    expect(compileModelGlob('llama-3-*')('llama-2-7b')).toBe(false);
    expect(compileModelGlob('gpt-4o.mini')('gpt-4oXmini')).toBe(false);
    expect(compileModelGlob('gpt-?o')('gpt-4o')).toBe(true);
  });
});

describe('createCostModel', () => {
  it('prices API tokens per million, cached input at its own price', () => {
    const { costs } = modelAt();

    expect(usdNow(costs.processed('gpt-4o', { input: 1000, output: 500 }, LABELS))).toBeCloseTo(0.0025 + 0.005, 15);
    expect(usdNow(costs.processed('gpt-4o-mini', { input: 1000, output: 0, cachedInput: 400 }, LABELS))).toBeCloseTo((600 * 2.5 + 400 * 1.25) / 1e6, 15);
  });

  it('takes the first matching entry as the active price and lists all for the what-if', () => {
    const { costs } = modelAt();

    expect(costs.priceFor('llama-3-70b')?.name).toBe('h100x4');
    expect(costs.priceFor('llama-3-8b')?.name).toBe('l4');
    expect(costs.entriesFor('llama-3-8b').map((e) => e.name)).toEqual(['l4', 'serverless']);
  });

  it('prices a GPU with stated throughput as hourly price × gpus / (tokens per second × 3600)', () => {
    const { costs } = modelAt();
    const perToken = (3 * 4) / (2000 * 3600);

    expect(usdNow(costs.processed('llama-3-70b', { input: 3000, output: 1000 }, LABELS))).toBeCloseTo(4000 * perToken, 15);
    expect(costs.saved('llama-3-70b', { input: 10, output: 0 })).toBeCloseTo(10 * perToken, 15);
    expect(costs.settle()).toEqual([]);
  });

  it('settles a measured GPU bucket when it closes: its price shared by its tokens, by labels', () => {
    const { clock, costs } = modelAt();
    clock.now = T0 + 10_000;
    expect(costs.processed('llama-3-8b', { input: 2000, output: 1000 }, LABELS)).toEqual({ kind: 'settled-later' });
    expect(costs.processed('llama-3-8b', { input: 1000, output: 0 }, OTHER_LABELS)).toEqual({ kind: 'settled-later' });
    expect(costs.settle()).toEqual([]);

    clock.now = T0 + 60_000; // the first one-minute bucket has closed
    const settled = costs.settle();

    // 2 USD/hour for the minute since start, shared 3000 : 1000; each share carries its tokens.
    expect(settled.map((s) => [s.labels, s.tokens, s.fromMs, s.toMs, s.bucketStartMs])).toEqual([
      [LABELS, { input: 2000, output: 1000 }, T0, T0 + 60_000, T0],
      [OTHER_LABELS, { input: 1000, output: 0 }, T0, T0 + 60_000, T0],
    ]);
    expect(settled[0]?.usd).toBeCloseTo((2 / 60) * 0.75, 15);
    expect(settled[1]?.usd).toBeCloseTo((2 / 60) * 0.25, 15);
    expect(costs.settle()).toEqual([]);
  });

  it('charges a burst after an idle spell the idle time once, not once per request', () => {
    const { clock, costs } = modelAt();
    clock.now = T0 + HOUR_MS / 2; // 30 idle one-minute buckets since start
    for (let i = 0; i < 100; i++) costs.processed('llama-3-8b', { input: 1000, output: 0 }, LABELS);
    clock.now += 60_000;

    const total = costs.settle().reduce((sum, s) => sum + s.usd, 0);

    // 31 minutes of a 2 USD/hour deployment; pricing each request by the tokens seen so far
    // charged 2 × 0.5 × (1 + 1/2 + ... + 1/100) = 5.19 USD.
    expect(total).toBeCloseTo(2 * (31 / 60), 12);
  });

  it("adds up to the deployment's hourly price × hours under steady traffic", () => {
    const { clock, costs } = modelAt();
    let total = 0;
    for (let minute = 9; minute < 60; minute += 10) {
      clock.now = T0 + minute * 60_000;
      total += costs.settle().reduce((sum, s) => sum + s.usd, 0);
      costs.processed('llama-3-8b', { input: 800, output: 200 }, LABELS);
    }
    clock.now = T0 + HOUR_MS;
    total += costs.settle().reduce((sum, s) => sum + s.usd, 0);

    expect(total).toBeCloseTo(2 * 1, 12);
  });

  it('charges from start, not from the start of the bucket it started in', () => {
    const { clock, costs } = modelAt(T0 + 30_000);
    costs.processed('llama-3-8b', { input: 1000, output: 0 }, LABELS);
    clock.now = T0 + 60_000;

    const [settled] = costs.settle();

    expect(settled?.fromMs).toBe(T0 + 30_000);
    expect(settled?.usd).toBeCloseTo(2 / 120, 15);
  });

  it('charges at most a window of idle time to the bucket after it', () => {
    const { clock, costs } = modelAt();
    clock.now = T0 + 3 * HOUR_MS;
    costs.processed('llama-3-8b', { input: 1000, output: 0 }, LABELS);
    clock.now += 60_000;

    expect(costs.settle().reduce((sum, s) => sum + s.usd, 0)).toBeCloseTo(2 * 1, 12);
  });

  it('makes measured GPU tokens dearer when the same deployment is used less', () => {
    const busy = modelAt();
    const idle = modelAt();
    busy.costs.processed('llama-3-8b', { input: 10_000, output: 0 }, LABELS);
    idle.costs.processed('llama-3-8b', { input: 1000, output: 0 }, LABELS);
    busy.clock.now = T0 + 60_000;
    idle.clock.now = T0 + 60_000;

    const [busyCost] = busy.costs.settle();
    const [idleCost] = idle.costs.settle();

    expect((busyCost?.usd ?? NaN) / 10_000).toBeCloseTo(2 / 60 / 10_000, 15);
    expect((idleCost?.usd ?? NaN) / 1000).toBeCloseTo(2 / 60 / 1000, 15);
  });

  it("prices saved tokens at the window's average without counting them as throughput", () => {
    const { clock, costs } = modelAt();
    clock.now = T0 + 1_200_000;
    costs.processed('llama-3-8b', { input: 3000, output: 0 }, LABELS);

    const saved = costs.saved('llama-3-8b', { input: 1000, output: 0 });
    const again = costs.saved('llama-3-8b', { input: 1000, output: 0 });

    expect(saved).toBeCloseTo((1000 * 2 * (1 / 3)) / 4000, 12);
    expect(again).toBe(saved);
  });

  it('saves nothing on a measured GPU that processed nothing in the window', () => {
    const { clock, costs } = modelAt();
    clock.now = T0 + 3_600_000;
    const saved = Array.from({ length: 100 }, () => costs.saved('llama-3-8b', { input: 100, output: 0 }) ?? NaN);
    expect(saved.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('returns undefined, not 0, for a model without a price', () => {
    const { costs } = modelAt();

    expect(costs.processed('mistral-7b', { input: 100, output: 100 }, LABELS)).toBeUndefined();
    expect(costs.priceFor('mistral-7b')).toBeUndefined();
  });
});
