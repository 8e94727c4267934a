import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../src/dashboard/histogram-quantile.js';

const buckets = [
  { le: 0.1, count: 10 },
  { le: 0.5, count: 30 },
  { le: 1, count: 40 },
  { le: Infinity, count: 40 },
];

describe('histogramQuantile (as PromQL histogram_quantile)', () => {
  it('interpolates linearly inside the bucket the rank falls in', () => {
    // rank 20 of 40: 10 below 0.1, 20 in (0.1, 0.5]: halfway.
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.3, 10);
    // rank 4 of 40 in the first bucket, from 0.
    expect(histogramQuantile(0.1, buckets)).toBeCloseTo(0.04, 10);
    expect(histogramQuantile(0.99, buckets)).toBeCloseTo(0.5 + 0.5 * ((39.6 - 30) / 10), 10);
  });

  it('answers the largest finite bound for a rank in +Inf, and nothing without observations', () => {
    expect(
      histogramQuantile(0.99, [
        { le: 0.1, count: 1 },
        { le: Infinity, count: 5 },
      ]),
    ).toBe(0.1);
    expect(
      histogramQuantile(0.5, [
        { le: 0.1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeUndefined();
  });
});
