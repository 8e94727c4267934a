// A quantile of a Prometheus histogram, computed as PromQL's histogram_quantile() does: find the
// bucket the rank falls in and interpolate linearly within it; a rank in the +Inf bucket gets the
// largest finite bound. The dashboard's p50/p99 are then the ones a Grafana panel over /metrics shows.

export interface Bucket {
  /** Upper bound (Infinity for +Inf). */
  readonly le: number;
  /** Observations at or below `le` (cumulative). */
  readonly count: number;
}

export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0 || sorted.at(-1)?.le !== Infinity) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [i, bucket] of sorted.entries()) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return sorted[i - 1]?.le;
      // The first bucket's lower bound is 0 (latencies are not negative), as in PromQL.
      const within = bucket.count - below;
      return within === 0 ? bucket.le : lower + (bucket.le - lower) * ((rank - below) / within);
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return undefined;
}
