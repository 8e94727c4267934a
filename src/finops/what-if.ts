// The what-if of /admin/costs: the traffic a model saw over the window, priced under every pricing
// entry that matches it, and (when both kinds exist) a mixed plan of provisioned GPUs for the
// baseline plus API tokens for the bursts above it.
//
// Traffic: tokens per hour of each bucket of the window since start (the current bucket included);
// mean = their average, peak = the largest, baseline = the 10th percentile (nearest rank).
// API plan: mean × (share_in × inputPerMTok + share_out × outputPerMTok) / 1e6 per hour.
// GPU plan: usdPerGpuHour × gpus × replicas per hour; replicas = ceil(peak / (tokensPerSecond ×
// 3600)) when the throughput is stated, else 1 (capacity unknown: assumed to carry the traffic).
// Mixed: GPUs sized for the baseline (replicas = ceil(baseline / capacity), or 1 when the capacity
// is unknown and then assumed equal to the baseline) plus the API price of the mean overflow
// mean(max(0, bucket rate − provisioned capacity)).
import type { PriceEntry } from '../config-pricing.js';

export interface Traffic {
  readonly meanTokensPerHour: number;
  readonly peakTokensPerHour: number;
  readonly baselineTokensPerHour: number;
  /** Share of input tokens in the window, used to blend API input and output prices. */
  readonly inputShare: number;
}

export interface PlanCost {
  readonly plan: string;
  readonly kind: 'api' | 'gpu' | 'mixed';
  readonly usdPerHour: number;
  /** USD per 1,000 tokens at the mean traffic. */
  readonly cp1ktUsd: number;
  /** GPU plans: deployments of `gpus` GPUs needed (1 when the throughput is not stated). */
  readonly replicas?: number;
  readonly capacityKnown?: boolean;
}

export interface ModelWhatIf {
  readonly model: string;
  readonly traffic: Traffic;
  readonly plans: readonly PlanCost[];
  readonly cheapest: string;
}

const MS_PER_HOUR = 3_600_000;

function describeTraffic(bucketTokens: readonly number[], bucketMs: number, inputShare: number): Traffic {
  const rates = bucketTokens.map((tokens) => (tokens * MS_PER_HOUR) / bucketMs);
  const sorted = [...rates].sort((a, b) => a - b);
  const mean = rates.reduce((sum, rate) => sum + rate, 0) / Math.max(rates.length, 1);
  return {
    meanTokensPerHour: mean,
    peakTokensPerHour: sorted[sorted.length - 1] ?? 0,
    baselineTokensPerHour: sorted[Math.max(Math.ceil(sorted.length * 0.1) - 1, 0)] ?? 0,
    inputShare,
  };
}

function apiUsdPerToken(entry: PriceEntry & { kind: 'api' }, inputShare: number): number {
  return (inputShare * entry.inputPerMTok + (1 - inputShare) * entry.outputPerMTok) / 1e6;
}

function gpuCapacity(entry: PriceEntry & { kind: 'gpu' }): number | undefined {
  return entry.tokensPerSecond === undefined ? undefined : entry.tokensPerSecond * 3600;
}

function plan(entry: PriceEntry, traffic: Traffic): PlanCost {
  const cp1kt = (usdPerHour: number): number => (traffic.meanTokensPerHour > 0 ? (usdPerHour / traffic.meanTokensPerHour) * 1000 : 0);
  if (entry.kind === 'api') {
    const usdPerHour = traffic.meanTokensPerHour * apiUsdPerToken(entry, traffic.inputShare);
    return { plan: entry.name, kind: 'api', usdPerHour, cp1ktUsd: cp1kt(usdPerHour) };
  }
  const capacity = gpuCapacity(entry);
  const replicas = capacity === undefined ? 1 : Math.max(1, Math.ceil(traffic.peakTokensPerHour / capacity));
  const usdPerHour = entry.usdPerGpuHour * entry.gpus * replicas;
  return { plan: entry.name, kind: 'gpu', usdPerHour, cp1ktUsd: cp1kt(usdPerHour), replicas, capacityKnown: capacity !== undefined };
}

function mixedPlan(gpu: PriceEntry & { kind: 'gpu' }, api: PriceEntry & { kind: 'api' }, bucketRates: readonly number[], traffic: Traffic): PlanCost {
  const capacity = gpuCapacity(gpu);
  const replicas = capacity === undefined ? 1 : Math.max(1, Math.ceil(traffic.baselineTokensPerHour / capacity));
  const provisioned = capacity === undefined ? traffic.baselineTokensPerHour : replicas * capacity;
  const overflow = bucketRates.reduce((sum, rate) => sum + Math.max(0, rate - provisioned), 0) / Math.max(bucketRates.length, 1);
  const usdPerHour = gpu.usdPerGpuHour * gpu.gpus * replicas + overflow * apiUsdPerToken(api, traffic.inputShare);
  const cp1ktUsd = traffic.meanTokensPerHour > 0 ? (usdPerHour / traffic.meanTokensPerHour) * 1000 : 0;
  return {
    plan: `${gpu.name} for the baseline + ${api.name} for bursts`,
    kind: 'mixed',
    usdPerHour,
    cp1ktUsd,
    replicas,
    capacityKnown: capacity !== undefined,
  };
}

export function whatIfForModel(
  model: string,
  entries: readonly PriceEntry[],
  bucketTokens: readonly number[],
  bucketMs: number,
  inputShare: number,
): ModelWhatIf {
  const traffic = describeTraffic(bucketTokens, bucketMs, inputShare);
  const plans = entries.map((entry) => plan(entry, traffic));
  const gpu = entries.find((e): e is PriceEntry & { kind: 'gpu' } => e.kind === 'gpu');
  const api = entries.find((e): e is PriceEntry & { kind: 'api' } => e.kind === 'api');
  if (gpu !== undefined && api !== undefined) {
    plans.push(
      mixedPlan(
        gpu,
        api,
        bucketTokens.map((tokens) => (tokens * MS_PER_HOUR) / bucketMs),
        traffic,
      ),
    );
  }
  const cheapest = plans.reduce((best, p) => (p.usdPerHour < best.usdPerHour ? p : best));
  return { model, traffic, plans, cheapest: cheapest.plan };
}
