// 1,000 requests, each with its own API key, its own use case and its own model, must not grow the
// number of time series: tenants collapse to the configured aliases and `other`, use cases to the
// configured list and `other`, models to the first 64 ids and `other`; no key, hash or raw header
// value reaches /metrics. Bypassed one-token answers keep it fast (no embedding), through the SDK.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../../src/embed/embedder.js';
import { keyHash } from '../../../src/credentials.js';
import { MAX_MODEL_LABELS } from '../../../src/finops/labels.js';
import { useEmbedder } from '../../helpers/shared-embedder.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { parsePrometheus, sum, type Sample } from '../metrics-fixtures.js';
import { ask, T0, writePricingFile, type PricingFile } from './finops-stack.js';

const REQUESTS = 1000;
const CONCURRENCY = 8;
const apiKey = (i: number): string => `sk-cardinality-${i}`;
const useCase = (i: number): string => (i % 10 === 0 ? 'support' : `use-case-${i}`);
const model = (i: number): string => `card-model-${i}`;

let embedder: Embedder;
let stack: Stack;
let pricing: PricingFile;
let text: string;
let samples: Sample[];
const statuses = new Map<string, number>();

/** The distinct values a label takes across the samples of `name`. */
function labelValues(name: string, label: string): Set<string> {
  return new Set(samples.filter((s) => s.name === name && s.labels[label] !== undefined).map((s) => s.labels[label] ?? ''));
}

beforeAll(async () => {
  pricing = writePricingFile({ models: [{ model: 'card-model-*', kind: 'api', inputPerMTok: 1, outputPerMTok: 2 }] });
  embedder = await useEmbedder();
  stack = await startStack({
    env: {
      SEMCACHE_LOG_LEVEL: 'silent',
      SEMCACHE_PRICING_FILE: pricing.path,
      SEMCACHE_USE_CASES: 'support,search',
      SEMCACHE_TENANT_ALIASES: `${keyHash(apiKey(0))}=alice`,
    },
    deps: { embedder, now: () => T0 },
  });
  const client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-unused', maxRetries: 0 });
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < REQUESTS; i = next++) {
      const answer = await ask(client, {
        model: model(i),
        question: `Cheap question ${i}`,
        apiKey: apiKey(i),
        useCase: useCase(i),
        bypass: true,
        maxTokens: 1,
      });
      statuses.set(answer.status ?? 'none', (statuses.get(answer.status ?? 'none') ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  text = await (await fetch(`${stack.origin}/metrics`)).text();
  samples = parsePrometheus(text);
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
  pricing.remove();
});

describe('label cardinality under 1,000 keys, use cases and models', () => {
  it('counts every request', () => {
    expect(Object.fromEntries(statuses)).toEqual({ bypass: REQUESTS });
    expect(sum(samples, 'semcache_requests_total')).toBe(REQUESTS);
    expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(REQUESTS);
  });

  it('labels tenants with the configured alias or `other` only', () => {
    expect(labelValues('semcache_spend_usd_total', 'tenant')).toEqual(new Set(['alice', 'other']));
    expect(labelValues('semcache_cp1kt_usd', 'name').has(keyHash(apiKey(1)))).toBe(false);
    expect(new Set(samples.filter((s) => s.name === 'semcache_cp1kt_usd' && s.labels['scope'] === 'tenant').map((s) => s.labels['name']))).toEqual(
      new Set(['alice', 'other']),
    );
  });

  it('labels use cases with the configured list or `other` only', () => {
    expect(labelValues('semcache_spend_usd_total', 'use_case')).toEqual(new Set(['support', 'other']));
    expect(new Set(samples.filter((s) => s.name === 'semcache_cp1kt_usd' && s.labels['scope'] === 'use_case').map((s) => s.labels['name']))).toEqual(
      new Set(['support', 'other']),
    );
  });

  it('labels models with the first 64 ids and `other`', () => {
    for (const name of ['semcache_requests_total', 'semcache_tokens_processed_total', 'semcache_spend_usd_total']) {
      const models = labelValues(name, 'model');
      expect(models.size).toBe(MAX_MODEL_LABELS + 1);
      expect(models.has('other')).toBe(true);
    }
    expect(samples.filter((s) => s.name === 'semcache_cp1kt_usd' && s.labels['scope'] === 'model')).toHaveLength(2 * (MAX_MODEL_LABELS + 1));
  });

  it('keeps the whole exposition bounded and free of keys, key hashes and raw use cases', () => {
    // Spend: at most 65 models × 2 tenants × 2 use cases; the rest does not depend on the traffic.
    expect(samples.filter((s) => s.name === 'semcache_spend_usd_total').length).toBeLessThanOrEqual((MAX_MODEL_LABELS + 1) * 2 * 2);
    expect(samples.length).toBeLessThan(1000);
    expect(text).not.toContain('sk-cardinality');
    expect(text).not.toContain(keyHash(apiKey(7)));
    expect(text).not.toContain('use-case-');
  });
});
