// /metrics and /admin/costs report the same figures: spend, saved, embedding cost, net saved,
// tokens, requests by cache status, CP1KT per dimension over the window and since start, and the
// targets. The traffic spans two windows' worth of injected time, so the window and since-start
// figures differ and both are compared.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../../src/embed/embedder.js';
import type { CostsReport } from '../../../src/finops/costs-report.js';
import { keyHash } from '../../../src/credentials.js';
import { useEmbedder } from '../../helpers/shared-embedder.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { sum, value, type Sample } from '../metrics-fixtures.js';
import { ask, scrape, series, T0, writePricingFile, type Ask, type PricingFile } from './finops-stack.js';

const ADMIN_TOKEN = 'admin-finops-token';
const ALICE_KEY = 'sk-alice-costs';
const MINUTE_MS = 60_000;

let embedder: Embedder;
let stack: Stack;
let pricing: PricingFile;
let samples: Sample[];
let report: CostsReport;
const clock = { now: T0 };
const statuses: Array<string | null> = [];

const filtered = (name: string, labels: Readonly<Record<string, string>>): number =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((total, s) => total + s.value, 0);

beforeAll(async () => {
  pricing = writePricingFile({
    models: [
      { model: 'api-*', kind: 'api', inputPerMTok: 0.5, outputPerMTok: 1.5 },
      { model: 'gpu-stated', kind: 'gpu', usdPerGpuHour: 2.5, gpus: 4, tokensPerSecond: 2000 },
      { model: 'gpu-measured', kind: 'gpu', usdPerGpuHour: 1.2, gpus: 1 },
    ],
    targets: [
      { scope: 'overall', cp1ktUsd: 0.5 },
      { scope: 'model', name: 'api-small', cp1ktUsd: 0.0001 },
    ],
  });
  embedder = await useEmbedder();
  stack = await startStack({
    env: {
      SEMCACHE_LOG_LEVEL: 'silent',
      SEMCACHE_ADMIN_TOKEN: ADMIN_TOKEN,
      SEMCACHE_PRICING_FILE: pricing.path,
      SEMCACHE_USE_CASES: 'support,search',
      SEMCACHE_TENANT_ALIASES: `${keyHash(ALICE_KEY)}=alice`,
    },
    deps: { embedder, now: () => clock.now },
  });
  const client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-bob-costs', maxRetries: 0 });
  const run = async (steps: readonly Ask[]): Promise<void> => {
    for (const step of steps) statuses.push((await ask(client, step)).status);
  };
  await run([
    { model: 'api-small', question: 'How do I reset my password?', apiKey: ALICE_KEY, useCase: 'support' },
    { model: 'api-small', question: 'How do I reset my password?', apiKey: ALICE_KEY, useCase: 'support' },
    { model: 'gpu-stated', question: 'What is the boiling point of water?', useCase: 'search' },
    { model: 'gpu-measured', question: 'Which port does PostgreSQL listen on?' },
    { model: 'unpriced-model', question: 'Name three prime numbers.', useCase: 'other-team' },
  ]);
  clock.now = T0 + 40 * MINUTE_MS;
  await run([
    { model: 'api-small', question: 'How can I reset my password?', apiKey: ALICE_KEY, useCase: 'support' },
    { model: 'gpu-measured', question: 'What is a B-tree index?', useCase: 'search' },
    { model: 'gpu-measured', question: 'What is a B-tree index?', useCase: 'search' },
    { model: 'gpu-stated', question: 'How do I undo a git commit?', apiKey: ALICE_KEY, bypass: true },
  ]);
  // The first five requests have left the sliding window; the last four are still in it.
  clock.now = T0 + 70 * MINUTE_MS;
  samples = await scrape(stack);
  const response = await fetch(`${stack.origin}/admin/costs`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  report = (await response.json()) as CostsReport;
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
  pricing.remove();
});

describe('/metrics and /admin/costs agree', () => {
  it('ran the planned mix of misses, hits and a bypass', () => {
    expect(statuses).toEqual(['miss', 'exact-hit', 'miss', 'miss', 'miss', 'semantic-hit', 'miss', 'exact-hit', 'bypass']);
  });

  it('reports the same requests by cache status', () => {
    expect(report.requests).toEqual({
      total: sum(samples, 'semcache_requests_total'),
      exactHits: filtered('semcache_requests_total', { cache_status: 'exact-hit' }),
      semanticHits: filtered('semcache_requests_total', { cache_status: 'semantic-hit' }),
      misses: filtered('semcache_requests_total', { cache_status: 'miss' }),
      bypasses: filtered('semcache_requests_total', { cache_status: 'bypass' }),
      hitRate: 3 / 8,
    });
    expect(report.requests.total).toBe(9);
  });

  it('reports the same tokens processed, saved and unpriced', () => {
    expect(report.tokens).toEqual({
      processedInput: filtered('semcache_tokens_processed_total', { type: 'input' }),
      processedOutput: filtered('semcache_tokens_processed_total', { type: 'output' }),
      savedInput: filtered('semcache_tokens_saved_total', { type: 'input' }),
      savedOutput: filtered('semcache_tokens_saved_total', { type: 'output' }),
      unpriced: sum(samples, 'semcache_tokens_unpriced_total'),
    });
    expect(report.tokens.unpriced).toBeGreaterThan(0);
  });

  it('reports the same spend, saved, embedding cost and net saved', () => {
    expect(report.spendUsd).toBeGreaterThan(0);
    expect(report.savedUsd).toBeGreaterThan(0);
    expect(report.spendUsd).toBeCloseTo(sum(samples, 'semcache_spend_usd_total'), 15);
    expect(report.savedUsd).toBeCloseTo(sum(samples, 'semcache_saved_usd_total'), 15);
    expect(report.embeddingCostUsd).toBeCloseTo(value(samples, 'semcache_embedding_cost_usd_total'), 15);
    expect(report.netSavedUsd).toBeCloseTo(value(samples, 'semcache_net_saved_usd'), 15);
  });

  it('reports the same CP1KT per dimension, over the window and since start', () => {
    const fromReport: Record<string, number> = {};
    for (const [scope, names] of Object.entries(report.cp1kt)) {
      for (const [name, figures] of Object.entries(names)) {
        if (figures.windowUsd !== null) fromReport[`${scope}|${name}|window`] = figures.windowUsd;
        if (figures.sinceStartUsd !== null) fromReport[`${scope}|${name}|since_start`] = figures.sinceStartUsd;
      }
    }
    expect(fromReport).toEqual(series(samples, 'semcache_cp1kt_usd', ['scope', 'name', 'window']));
    // The window lost the first requests: its figures differ from since start, in both outputs.
    expect(report.cp1kt.model['api-small']?.windowUsd).toBeNull();
    expect(report.cp1kt.model['gpu-stated']?.windowUsd).toBeCloseTo(((2.5 * 4) / (2000 * 3600)) * 1000, 15);
    expect(Object.keys(report.cp1kt.tenant).sort()).toEqual(['alice', 'other']);
    expect(Object.keys(report.cp1kt.use_case).sort()).toEqual(['none', 'search', 'support']);
  });

  it('reports the same targets and breaches', () => {
    expect(report.targets.map((t) => ({ scope: t.scope, name: t.name, targetUsd: t.targetUsd, breach: t.breach }))).toEqual(
      report.targets.map((t) => ({
        scope: t.scope,
        name: t.name,
        targetUsd: value(samples, 'semcache_cp1kt_target_usd', { scope: t.scope, name: t.name }),
        breach: value(samples, 'semcache_cp1kt_breach', { scope: t.scope, name: t.name }) === 1,
      })),
    );
    // One state of each: the measured GPU, used by two requests in 40 minutes, costs several USD
    // per 1,000 tokens (idle hours are paid for); api-small's breach left with the window.
    expect(report.targets.map((t) => [t.scope, t.name, t.breach])).toEqual([
      ['overall', 'all', true],
      ['model', 'api-small', false],
    ]);
  });
});
