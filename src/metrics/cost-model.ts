// USD for a request's tokens under the pricing file. Deterministic: time comes from `now`.
//
// API price: input/1e6 × inputPerMTok + output/1e6 × outputPerMTok (cached input, when reported,
// at cachedInputPerMTok).
//
// Provisioned GPU: the deployment costs usdPerGpuHour × gpus per hour whether busy or idle, so the
// cost of a token is that hourly price divided by the tokens the deployment gets through per hour:
//   - stated throughput:  usd per token = usdPerGpuHour × gpus / (tokensPerSecond × 3600)
//   - measured (no tokensPerSecond): the tokens per hour at the observed utilisation, i.e.
//       usd per token = usdPerGpuHour × gpus × H / T
//     where H = min(window, max(time since start, window/60)) in hours and T = the tokens all
//     models priced by this entry processed in the sliding window, including the tokens being
//     priced. The spend over a window is thus the deployment's hourly price × the window's hours,
//     shared among requests by their tokens: with steady traffic the per-request costs add up to
//     exactly price × hours, and CP1KT rises when utilisation falls.
// Input and output tokens cost the same on a GPU (both are GPU time at this level of detail).
// Upstream busy time is not used: it measures capacity, and idle capacity is paid for too.
import { compileModelGlob, type ModelMatcher } from './model-glob.js';
import { createCp1ktWindow } from './cp1kt-window.js';
import type { GpuPrice, PriceEntry, Pricing } from './pricing.js';

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
  /** Cost of tokens the upstream processed (counted into measured GPU throughput); undefined for unpriced models. */
  processed(model: string, tokens: PricedTokens): number | undefined;
  /** What tokens served from the cache would have cost had the upstream processed them now. */
  saved(model: string, tokens: PricedTokens): number | undefined;
}

const MS_PER_HOUR = 3_600_000;
const MAX_MEMOISED_MODELS = 1024;

export function apiCost(entry: PriceEntry & { kind: 'api' }, tokens: PricedTokens): number {
  const cached = Math.min(tokens.cachedInput ?? 0, tokens.input);
  const cachedPrice = entry.cachedInputPerMTok ?? entry.inputPerMTok;
  return ((tokens.input - cached) * entry.inputPerMTok + cached * cachedPrice + tokens.output * entry.outputPerMTok) / 1e6;
}

export function statedGpuUsdPerToken(entry: GpuPrice & { tokensPerSecond: number }): number {
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

  const cost = (model: string, tokens: PricedTokens, count: boolean): number | undefined => {
    const found = activeFor(model);
    if (found === undefined) return undefined;
    const { entry, key } = found;
    if (entry.kind === 'api') return apiCost(entry, tokens);
    const n = tokens.input + tokens.output;
    if (entry.tokensPerSecond === undefined && !count && processedInWindow(key) === 0) {
      // A provisioned GPU that processed nothing in the window costs the same with or without the
      // hit: it saves nothing (found in review: each such hit "saved" a whole GPU-hour).
      return 0;
    }
    const perToken = entry.tokensPerSecond !== undefined ? statedGpuUsdPerToken({ ...entry, tokensPerSecond: entry.tokensPerSecond }) : measuredUsdPerToken(entry, key, n);
    if (count) throughput.add(key, { spendUsd: 0, inputTokens: tokens.input, outputTokens: tokens.output });
    return n * perToken;
  };

  return {
    priceFor: (model) => activeFor(model)?.entry,
    entriesFor: (model) => compiled.filter((c) => c.matches(model)).map((c) => c.entry),
    processed: (model, tokens) => cost(model, tokens, true),
    saved: (model, tokens) => cost(model, tokens, false),
  };
}
