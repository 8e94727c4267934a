// Percentiles and medians over raw samples (milliseconds), nearest-rank.

export function percentile(samples, p) {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The middle value; the mean of the two middle ones for an even count (medians over rounds). */
export function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(samples) {
  let sum = 0;
  for (const x of samples) sum += x;
  return { n: samples.length, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), mean: sum / samples.length };
}

/** Rounds for display; keeps JSON small and tables readable. */
export function round(x, digits = 3) {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : x;
}
