// Latency summaries, pure: nearest-rank percentiles and a thinned cumulative distribution for charts.

export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number | null;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

export function summarizeLatency(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number | null): number | null => (v === null ? null : Number(v.toFixed(3)));
  return {
    count: sorted.length,
    meanMs: round(sorted.length > 0 ? sorted.reduce((s, v) => s + v, 0) / sorted.length : null),
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? null),
  };
}

/** At most `points` (latencyMs, fraction of requests at or under it) pairs. */
export function cumulativeDistribution(samples: readonly number[], points = 100): Array<[number, number]> {
  const sorted = [...samples].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  const step = Math.max(1, Math.floor(sorted.length / points));
  for (let i = step - 1; i < sorted.length; i += step) out.push([sorted[i] ?? 0, (i + 1) / sorted.length]);
  const last = sorted.at(-1);
  if (last !== undefined && out.at(-1)?.[1] !== 1) out.push([last, 1]);
  return out;
}
