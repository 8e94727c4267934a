// A known sequence of misses, exact hits, semantic hits and a bypass, through the official SDK,
// the real proxy, embedder and index, and the simulated upstream (whose usage is deterministic),
// priced by a pricing file with an API entry, a GPU entry with a stated throughput and a GPU entry
// whose throughput is measured from the traffic. Every counter and gauge is then read from
// /metrics and compared with values computed here from the pricing formulas of src/finops/README.md.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../../src/embed/embedder.js';
import { keyHash } from '../../../src/credentials.js';
import { useEmbedder } from '../../helpers/shared-embedder.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { sum, value, type Sample } from '../metrics-fixtures.js';
import { ANSWER_TOKENS, ask, promptTokens, rounded, scrape, series, T0, writePricingFile, type Answer, type Ask, type PricingFile } from './finops-stack.js';

const API = { model: 'api-model', inputPerMTok: 2, outputPerMTok: 6 };
/** 3.60 USD/GPU-hour × 2 GPUs at 1,000 tokens/s: 7.2 / 3.6e6 = 2e-6 USD per token. */
const GPU_STATED = { model: 'gpu-stated', usdPerGpuHour: 3.6, gpus: 2, tokensPerSecond: 1000 };
/** 1.80 USD/GPU-hour, throughput measured: the first minute's tokens share 1.8 × 1/60 USD, settled
 * when that one-minute bucket closes. */
const GPU_MEASURED = { model: 'gpu-measured', usdPerGpuHour: 1.8, gpus: 1 };
const WINDOW_MS = 3_600_000;
/** One bucket (window / 60) in hours: H of the measured formula at start. */
const MEASURED_HOURS = WINDOW_MS / 60 / 3_600_000;
/** Every step runs at T0, in the first bucket; metrics are read once it has closed. */
const READ_AT = T0 + WINDOW_MS / 60;

const RESET = 'How do I reset my password?';
const RESET_PARAPHRASE = 'How can I reset my password?';
const BOILING = 'What is the boiling point of water?';
const PORT = 'Which port does PostgreSQL listen on?';

const ALICE_KEY = 'sk-alice-finops';
const BOB_KEY = 'sk-bob-finops';

interface Step extends Ask {
  readonly expect: 'miss' | 'exact-hit' | 'semantic-hit' | 'bypass';
}

/** The sequence, in order. Alice is aliased; Bob is not (tenant `other`). */
const STEPS: readonly Step[] = [
  { model: API.model, question: RESET, apiKey: ALICE_KEY, useCase: 'support', expect: 'miss' },
  { model: API.model, question: RESET, apiKey: ALICE_KEY, useCase: 'support', expect: 'exact-hit' },
  { model: API.model, question: RESET_PARAPHRASE, apiKey: ALICE_KEY, useCase: 'support', expect: 'semantic-hit' },
  { model: API.model, question: BOILING, apiKey: BOB_KEY, useCase: 'search', expect: 'miss' },
  { model: API.model, question: PORT, apiKey: BOB_KEY, bypass: true, expect: 'bypass' },
  { model: GPU_STATED.model, question: BOILING, apiKey: ALICE_KEY, useCase: 'marketing', expect: 'miss' },
  { model: GPU_STATED.model, question: BOILING, apiKey: ALICE_KEY, useCase: 'marketing', expect: 'exact-hit' },
  { model: GPU_MEASURED.model, question: RESET, apiKey: BOB_KEY, useCase: 'support', expect: 'miss' },
  { model: GPU_MEASURED.model, question: BOILING, apiKey: BOB_KEY, useCase: 'support', expect: 'miss' },
  { model: GPU_MEASURED.model, question: RESET_PARAPHRASE, apiKey: BOB_KEY, useCase: 'support', expect: 'semantic-hit' },
];

/** One line of the expected ledger: a request's tokens and their USD under the pricing file. */
interface Line {
  readonly model: string;
  readonly tenant: string;
  readonly useCase: string;
  readonly input: number;
  readonly output: number;
  readonly usd: number;
}

const p = (question: string): number => promptTokens(question);
const apiUsd = (question: string): number => (p(question) * API.inputPerMTok + ANSWER_TOKENS * API.outputPerMTok) / 1e6;
const statedUsdPerToken = (GPU_STATED.usdPerGpuHour * GPU_STATED.gpus) / (GPU_STATED.tokensPerSecond * 3600);
const n = (question: string): number => p(question) + ANSWER_TOKENS;
/** Measured GPU: the deployment's price for H hours, shared by `windowTokens` (for spend: the
 * bucket's; for a hit's saving: the window's, the hit's own included). */
const measuredUsd = (tokens: number, windowTokens: number): number =>
  tokens * ((GPU_MEASURED.usdPerGpuHour * GPU_MEASURED.gpus * MEASURED_HOURS) / windowTokens);
const MEASURED_BUCKET_TOKENS = n(RESET) + n(BOILING);

/** Tokens the upstream processed (misses and the bypass), with their spend. */
const PROCESSED: readonly Line[] = [
  { model: API.model, tenant: 'alice', useCase: 'support', input: p(RESET), output: ANSWER_TOKENS, usd: apiUsd(RESET) },
  { model: API.model, tenant: 'other', useCase: 'search', input: p(BOILING), output: ANSWER_TOKENS, usd: apiUsd(BOILING) },
  { model: API.model, tenant: 'other', useCase: 'none', input: p(PORT), output: ANSWER_TOKENS, usd: apiUsd(PORT) },
  { model: GPU_STATED.model, tenant: 'alice', useCase: 'other', input: p(BOILING), output: ANSWER_TOKENS, usd: n(BOILING) * statedUsdPerToken },
  {
    model: GPU_MEASURED.model,
    tenant: 'other',
    useCase: 'support',
    input: p(RESET),
    output: ANSWER_TOKENS,
    usd: measuredUsd(n(RESET), MEASURED_BUCKET_TOKENS),
  },
  {
    model: GPU_MEASURED.model,
    tenant: 'other',
    useCase: 'support',
    input: p(BOILING),
    output: ANSWER_TOKENS,
    usd: measuredUsd(n(BOILING), MEASURED_BUCKET_TOKENS),
  },
];

/** Tokens served from the cache (the cached answer's usage), with what they would have cost. */
const SAVED: readonly Line[] = [
  { model: API.model, tenant: 'alice', useCase: 'support', input: p(RESET), output: ANSWER_TOKENS, usd: apiUsd(RESET) },
  { model: API.model, tenant: 'alice', useCase: 'support', input: p(RESET), output: ANSWER_TOKENS, usd: apiUsd(RESET) },
  { model: GPU_STATED.model, tenant: 'alice', useCase: 'other', input: p(BOILING), output: ANSWER_TOKENS, usd: n(BOILING) * statedUsdPerToken },
  // Saved tokens are priced like processed ones but are not throughput: the window then holds both misses.
  {
    model: GPU_MEASURED.model,
    tenant: 'other',
    useCase: 'support',
    input: p(RESET),
    output: ANSWER_TOKENS,
    usd: measuredUsd(n(RESET), n(RESET) + n(BOILING) + n(RESET)),
  },
];

function total(lines: readonly Line[], by: (line: Line) => string, of: (line: Line) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) out[by(line)] = (out[by(line)] ?? 0) + of(line);
  return out;
}

function cp1ktBy(by: (line: Line) => string): Record<string, number> {
  const spend = total(PROCESSED, by, (l) => l.usd);
  const tokens = total(PROCESSED, by, (l) => l.input + l.output);
  return Object.fromEntries(Object.keys(spend).map((k) => [k, ((spend[k] ?? 0) / (tokens[k] ?? 0)) * 1000]));
}

let embedder: Embedder;
let stack: Stack;
let pricing: PricingFile;
let samples: Sample[];
const clock = { now: T0 };
const answers: Answer[] = [];

beforeAll(async () => {
  pricing = writePricingFile({
    models: [
      { kind: 'api', ...API },
      { kind: 'gpu', ...GPU_STATED },
      { kind: 'gpu', ...GPU_MEASURED },
    ],
  });
  embedder = await useEmbedder();
  stack = await startStack({
    env: {
      SEMCACHE_LOG_LEVEL: 'silent',
      SEMCACHE_PRICING_FILE: pricing.path,
      SEMCACHE_USE_CASES: 'support,search',
      SEMCACHE_TENANT_ALIASES: `${keyHash(ALICE_KEY)}=alice`,
    },
    deps: { embedder, now: () => clock.now },
  });
  const client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-unused', maxRetries: 0 });
  for (const step of STEPS) answers.push(await ask(client, step));
  clock.now = READ_AT;
  samples = await scrape(stack);
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
  pricing.remove();
});

describe('metrics after a known sequence of misses and hits', () => {
  it('gets each request the cache status it was planned for, and the simulator the usage predicted', () => {
    expect(answers.map((a) => a.status)).toEqual(STEPS.map((s) => s.expect));
    const upstream = STEPS.flatMap((s, i) => (s.expect === 'miss' || s.expect === 'bypass' ? [{ usage: answers[i]?.usage, question: s.question }] : []));
    expect(upstream.map((u) => u.usage)).toEqual(upstream.map((u) => ({ prompt_tokens: p(u.question), completion_tokens: ANSWER_TOKENS })));
    expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(PROCESSED.length);
  });

  it('counts requests by endpoint, model and cache status', () => {
    expect(series(samples, 'semcache_requests_total', ['endpoint', 'model', 'cache_status'])).toEqual({
      'chat|api-model|miss': 2,
      'chat|api-model|exact-hit': 1,
      'chat|api-model|semantic-hit': 1,
      'chat|api-model|bypass': 1,
      'chat|gpu-stated|miss': 1,
      'chat|gpu-stated|exact-hit': 1,
      'chat|gpu-measured|miss': 2,
      'chat|gpu-measured|semantic-hit': 1,
    });
  });

  it('counts as processed only the tokens of misses and bypasses', () => {
    expect(series(samples, 'semcache_tokens_processed_total', ['model', 'type'])).toEqual({
      'api-model|input': p(RESET) + p(BOILING) + p(PORT),
      'api-model|output': 3 * ANSWER_TOKENS,
      'gpu-stated|input': p(BOILING),
      'gpu-stated|output': ANSWER_TOKENS,
      'gpu-measured|input': p(RESET) + p(BOILING),
      'gpu-measured|output': 2 * ANSWER_TOKENS,
    });
    expect(sum(samples, 'semcache_tokens_unpriced_total')).toBe(0);
  });

  it('counts as saved only the tokens of hits, never also as processed', () => {
    expect(series(samples, 'semcache_tokens_saved_total', ['model', 'type'])).toEqual({
      'api-model|input': 2 * p(RESET),
      'api-model|output': 2 * ANSWER_TOKENS,
      'gpu-stated|input': p(BOILING),
      'gpu-stated|output': ANSWER_TOKENS,
      'gpu-measured|input': p(RESET),
      'gpu-measured|output': ANSWER_TOKENS,
    });
    const allUsage = answers.reduce((acc, a) => acc + (a.usage?.prompt_tokens ?? 0) + (a.usage?.completion_tokens ?? 0), 0);
    expect(sum(samples, 'semcache_tokens_processed_total') + sum(samples, 'semcache_tokens_saved_total')).toBe(allUsage);
  });

  it('prices spend by model, tenant alias and use case under API, stated-GPU and measured-GPU prices', () => {
    const key = (l: Line): string => `${l.model}|${l.tenant}|${l.useCase}`;
    expect(rounded(series(samples, 'semcache_spend_usd_total', ['model', 'tenant', 'use_case']))).toEqual(rounded(total(PROCESSED, key, (l) => l.usd)));
    // The hand-computed anchors the ledger rests on.
    expect(apiUsd(RESET)).toBeCloseTo((14 * 2 + 48 * 6) / 1e6, 15);
    expect(statedUsdPerToken).toBeCloseTo(2e-6, 18);
    // The measured deployment's two misses share one minute of it: 1.8 / 60 USD.
    expect(measuredUsd(n(RESET), MEASURED_BUCKET_TOKENS) + measuredUsd(n(BOILING), MEASURED_BUCKET_TOKENS)).toBeCloseTo(0.03, 15);
  });

  it('prices saved spend by model, tenant alias and use case, and net saved is saved minus embedding', () => {
    const key = (l: Line): string => `${l.model}|${l.tenant}|${l.useCase}`;
    expect(rounded(series(samples, 'semcache_saved_usd_total', ['model', 'tenant', 'use_case']))).toEqual(rounded(total(SAVED, key, (l) => l.usd)));
    const embedding = value(samples, 'semcache_embedding_cost_usd_total');
    expect(embedding).toBeGreaterThan(0);
    expect(value(samples, 'semcache_net_saved_usd')).toBeCloseTo(sum(samples, 'semcache_saved_usd_total') - embedding, 15);
  });

  it('reports CP1KT overall and per model, tenant and use case, the same over the window and since start', () => {
    const expected: Record<string, number> = {};
    const dimensions: Array<[string, (l: Line) => string]> = [
      ['overall', () => 'all'],
      ['model', (l) => l.model],
      ['tenant', (l) => l.tenant],
      ['use_case', (l) => l.useCase],
    ];
    for (const [scope, by] of dimensions) {
      for (const [name, cp1kt] of Object.entries(cp1ktBy(by))) {
        expected[`${scope}|${name}|window`] = cp1kt;
        expected[`${scope}|${name}|since_start`] = cp1kt;
      }
    }
    expect(rounded(series(samples, 'semcache_cp1kt_usd', ['scope', 'name', 'window']))).toEqual(rounded(expected));
    // API model: 14 + 16 + 17 input tokens at 2 USD/M and 3 × 48 output tokens at 6 USD/M, over 191 tokens.
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'model', name: 'api-model', window: 'window' })).toBeCloseTo(
      ((47 * 2 + 144 * 6) / 1e6 / 191) * 1000,
      15,
    );
    expect(value(samples, 'semcache_cp1kt_usd', { scope: 'model', name: 'gpu-stated', window: 'window' })).toBeCloseTo(0.002, 15);
  });

  it('counts every upstream request on the primary route and leaves the gauges of the index and in-flight requests exact', () => {
    expect(series(samples, 'semcache_route_total', ['route'])).toEqual({ primary: PROCESSED.length });
    expect(value(samples, 'semcache_upstream_in_flight')).toBe(0);
    // Five misses stored an entry; the bypass stored nothing.
    expect(value(samples, 'semcache_index_entries')).toBe(5);
    expect(series(samples, 'semcache_hit_similarity_count', [])).toEqual({ '': 2 });
  });

  it('drops the spend from the window once the window has passed, and keeps it since start', async () => {
    clock.now = T0 + WINDOW_MS;
    const later = await scrape(stack);
    const cp1kt = series(later, 'semcache_cp1kt_usd', ['scope', 'name', 'window']);
    expect(Object.keys(cp1kt).filter((k) => k.endsWith('|window'))).toEqual([]);
    expect(cp1kt['overall|all|since_start']).toBeCloseTo(cp1ktBy(() => 'all')['all'] ?? NaN, 15);
  });
});
