import { describe, it, expect } from 'vitest';
import { createCostModel } from '../../src/metrics/cost-model.js';
import { compileModelGlob } from '../../src/metrics/model-glob.js';
import type { Pricing } from '../../src/metrics/pricing.js';
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

    expect(costs.processed('gpt-4o', { input: 1000, output: 500 })).toBeCloseTo(0.0025 + 0.005, 15);
    expect(costs.processed('gpt-4o-mini', { input: 1000, output: 0, cachedInput: 400 })).toBeCloseTo((600 * 2.5 + 400 * 1.25) / 1e6, 15);
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

    expect(costs.processed('llama-3-70b', { input: 3000, output: 1000 })).toBeCloseTo(4000 * perToken, 15);
    expect(costs.saved('llama-3-70b', { input: 10, output: 0 })).toBeCloseTo(10 * perToken, 15);
  });

  it('spreads a measured GPU deployment\'s hourly price over the tokens it processed in the window', () => {
    const { clock, costs } = modelAt();

    clock.now = T0 + 600_000; // 1/6 hour after start, 2000 tokens in the window
    const first = costs.processed('llama-3-8b', { input: 1500, output: 500 });
    clock.now = T0 + 1_200_000; // 1/3 hour, 3000 tokens in the window
    const second = costs.processed('llama-3-8b', { input: 1000, output: 0 });

    expect(first).toBeCloseTo((2000 * 2 * (1 / 6)) / 2000, 12);
    expect(second).toBeCloseTo((1000 * 2 * (1 / 3)) / 3000, 12);
  });

  it('adds up to the deployment\'s hourly price × hours under steady traffic', () => {
    const { clock, costs } = modelAt();
    let total = 0;
    for (let minute = 10; minute <= 60; minute += 10) {
      clock.now = T0 + minute * 60_000;
      total += costs.processed('llama-3-8b', { input: 800, output: 200 }) ?? NaN;
    }

    expect(total).toBeCloseTo(2 * 1, 12);
  });

  it('makes measured GPU tokens dearer when the same deployment is used less', () => {
    const busy = modelAt();
    const idle = modelAt();
    busy.clock.now = T0 + HOUR_MS / 2;
    idle.clock.now = T0 + HOUR_MS / 2;
    busy.costs.processed('llama-3-8b', { input: 9000, output: 0 });

    const busyCost = busy.costs.processed('llama-3-8b', { input: 1000, output: 0 });
    const idleCost = idle.costs.processed('llama-3-8b', { input: 1000, output: 0 });

    expect(busyCost).toBeCloseTo((1000 * 2 * 0.5) / 10_000, 12);
    expect(idleCost).toBeCloseTo(1, 12);
  });

  it('prices saved tokens as if processed now without counting them as throughput', () => {
    const { clock, costs } = modelAt();
    clock.now = T0 + 1_200_000;
    costs.processed('llama-3-8b', { input: 3000, output: 0 });

    const saved = costs.saved('llama-3-8b', { input: 1000, output: 0 });
    const next = costs.processed('llama-3-8b', { input: 1000, output: 0 });

    expect(saved).toBeCloseTo((1000 * 2 * (1 / 3)) / 4000, 12);
    expect(next).toBeCloseTo(saved ?? NaN, 12);
  });

  it('saves nothing on a measured GPU that processed nothing in the window (found in review)', () => {
    const { clock, costs } = modelAt();
    clock.now = T0 + 3_600_000;
    const saved = Array.from({ length: 100 }, () => costs.saved('llama-3-8b', { input: 100, output: 0 }) ?? NaN);
    expect(saved.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('returns undefined, not 0, for a model without a price', () => {
    const { costs } = modelAt();

    expect(costs.processed('mistral-7b', { input: 100, output: 100 })).toBeUndefined();
    expect(costs.priceFor('mistral-7b')).toBeUndefined();
  });
});
