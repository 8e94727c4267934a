// USD for a request's tokens under the pricing file. Deterministic: time comes from `now`.
//
// API price: input/1e6 × inputPerMTok + output/1e6 × outputPerMTok (cached input, when reported,
// at cachedInputPerMTok).
//
// Provisioned GPU: the deployment costs usdPerGpuHour × gpus per hour whether busy or idle, so the
// cost of a token is that hourly price divided by the tokens the deployment gets through per hour:
//   - stated throughput:  usd per token = usdPerGpuHour × gpus / (tokensPerSecond × 3600)
//   - measured (no tokensPerSecond): the deployment's hourly price is shared by the tokens that
//     used it, settled per time bucket (gpu-settlement.ts): `processed` says such tokens are
//     settled later, and `settle` hands out each closed busy bucket's spend and tokens. CP1KT rises
//     when utilisation falls.
//     What a hit saves is priced at the window's average: usdPerGpuHour × gpus × H / T, where
//     H = min(window, max(time since start, window/60)) in hours and T = the tokens all models of
//     this entry processed in the sliding window plus the hit's own.
// Input and output tokens cost the same on a GPU (both are GPU time at this level of detail).
// Upstream busy time is not used: it measures capacity, and idle capacity is paid for too.
import { compileModelGlob, type ModelMatcher } from './model-glob.js';
import { createCp1ktWindow } from './cp1kt-window.js';
import { createGpuSettlement, type Settlement, type SpendLabels } from './gpu-settlement.js';

/** Priced now, or (a measured-throughput GPU) when the time bucket closes, through `settle`. */
export type ProcessedCost = { readonly kind: 'now'; readonly usd: number } | { readonly kind: 'settled-later' };
import type { GpuPrice, PriceEntry, Pricing } from '../config-pricing.js';

export interface PricedTokens {
  readonly input: number;
  readonly output: number;
  /** Part of `input` the upstream served from its own prompt cache, when it reports it. */
  readonly cachedInput?: number;
}

export interface CostModel {
  /** The active price: the first entry whose pattern matches. */
  priceFor(model: string): PriceEntry | undefined;
  /** Every entry whose pattern matches, in file order (for the what-if). */
  entriesFor(model: string): readonly PriceEntry[];
  /** Cost of tokens the upstream processed; undefined for unpriced models. For a measured-throughput
   * GPU, spend and tokens come later from `settle`, under `labels`. */
  processed(model: string, tokens: PricedTokens, labels: SpendLabels): ProcessedCost | undefined;
  /** What tokens served from the cache would have cost had the upstream processed them now. */
  saved(model: string, tokens: PricedTokens): number | undefined;
  /** Spend of the measured-throughput GPU buckets closed since the last call. */
  settle(): Settlement[];
}

const MS_PER_HOUR = 3_600_000;
const MAX_MEMOISED_MODELS = 1024;

function apiCost(entry: PriceEntry & { kind: 'api' }, tokens: PricedTokens): number {
  const cached = Math.min(tokens.cachedInput ?? 0, tokens.input);
  const cachedPrice = entry.cachedInputPerMTok ?? entry.inputPerMTok;
  return ((tokens.input - cached) * entry.inputPerMTok + cached * cachedPrice + tokens.output * entry.outputPerMTok) / 1e6;
}

function statedGpuUsdPerToken(entry: GpuPrice & { tokensPerSecond: number }): number {
  return (entry.usdPerGpuHour * entry.gpus) / (entry.tokensPerSecond * 3600);
}

export function createCostModel(pricing: Pricing, now: () => number, windowMs: number = MS_PER_HOUR): CostModel {
  const compiled: Array<{ entry: PriceEntry; matches: ModelMatcher; key: string }> = pricing.models.map((entry, index) => ({
    entry,
    matches: compileModelGlob(entry.model),
    key: `entry/${index}`,
  }));
  const startedAt = now();
  const throughput = createCp1ktWindow({ windowMs, now });
  const settlement = createGpuSettlement({ bucketMs: throughput.bucketMs, buckets: throughput.buckets, now, startedAt });
  const active = new Map<string, (typeof compiled)[number] | undefined>();

  const activeFor = (model: string): (typeof compiled)[number] | undefined => {
    if (active.has(model)) return active.get(model);
    const found = compiled.find((c) => c.matches(model));
    // Model ids come from clients: memoise a bounded number of them.
    if (active.size < MAX_MEMOISED_MODELS) active.set(model, found);
    return found;
  };

  const measuredUsdPerToken = (entry: GpuPrice, key: string, extraTokens: number): number => {
    const hours = Math.min(windowMs, Math.max(now() - startedAt, windowMs / throughput.buckets)) / MS_PER_HOUR;
    const window = throughput.window(key);
    const tokens = window.inputTokens + window.outputTokens + extraTokens;
    return tokens > 0 ? (entry.usdPerGpuHour * entry.gpus * hours) / tokens : 0;
  };

  const processedInWindow = (key: string): number => {
    const window = throughput.window(key);
    return window.inputTokens + window.outputTokens;
  };

  const processed = (model: string, tokens: PricedTokens, labels: SpendLabels): ProcessedCost | undefined => {
    const found = activeFor(model);
    if (found === undefined) return undefined;
    const { entry, key } = found;
    if (entry.kind === 'api') return { kind: 'now', usd: apiCost(entry, tokens) };
    const n = tokens.input + tokens.output;
    if (entry.tokensPerSecond !== undefined) return { kind: 'now', usd: n * statedGpuUsdPerToken({ ...entry, tokensPerSecond: entry.tokensPerSecond }) };
    throughput.add(key, { spendUsd: 0, inputTokens: tokens.input, outputTokens: tokens.output });
    settlement.add(key, entry, labels, { input: tokens.input, output: tokens.output });
    return { kind: 'settled-later' };
  };

  const saved = (model: string, tokens: PricedTokens): number | undefined => {
    const found = activeFor(model);
    if (found === undefined) return undefined;
    const { entry, key } = found;
    if (entry.kind === 'api') return apiCost(entry, tokens);
    const n = tokens.input + tokens.output;
    if (entry.tokensPerSecond !== undefined) return n * statedGpuUsdPerToken({ ...entry, tokensPerSecond: entry.tokensPerSecond });
    // A provisioned GPU that processed nothing in the window costs the same with or without the
    // hit: it saves nothing (not a whole GPU-hour per hit).
    if (processedInWindow(key) === 0) return 0;
    return n * measuredUsdPerToken(entry, key, n);
  };

  return {
    priceFor: (model) => activeFor(model)?.entry,
    entriesFor: (model) => compiled.filter((c) => c.matches(model)).map((c) => c.entry),
    processed,
    saved,
    settle: () => settlement.settle(),
  };
}
