import { describe, expect, it } from 'vitest';
import { precisionRecallCurve, thresholdForPrecision, type ScoredPair } from '../../../src/tools/calibrate/calibration.js';

// Hand-made fixture: 4 label-1 pairs, 4 label-0 pairs.
const pairs: ScoredPair[] = [
  { label: 1, similarity: 0.99, guardPass: true },
  { label: 0, similarity: 0.97, guardPass: false }, // guard catches this false hit
  { label: 1, similarity: 0.96, guardPass: true },
  { label: 0, similarity: 0.94, guardPass: true },
  { label: 1, similarity: 0.93, guardPass: true },
  { label: 1, similarity: 0.91, guardPass: true },
  { label: 0, similarity: 0.9, guardPass: true },
  { label: 0, similarity: 0.8, guardPass: true },
];

describe('precisionRecallCurve', () => {
  it('counts a hit only when similarity >= threshold and the guards pass', () => {
    // At 0.95: 0.99 (label 1) and 0.96 (label 1) hit; 0.97 is blocked by its guard.
    const [p] = precisionRecallCurve(pairs, [0.95]);
    expect(p).toEqual({ threshold: 0.95, hits: 2, correct: 2, wrong: 0, precision: 1, recall: 0.5, falseHitRate: 0 });
  });

  it('includes pairs exactly at the threshold', () => {
    // At 0.9: 0.99, 0.96, 0.94, 0.93, 0.91, 0.90 hit -> 4 correct, 2 wrong.
    const [p] = precisionRecallCurve(pairs, [0.9]);
    expect(p).toMatchObject({ hits: 6, correct: 4, wrong: 2, recall: 1, falseHitRate: 0.5 });
    expect(p!.precision).toBeCloseTo(4 / 6, 12);
  });

  it('reports precision 1 and recall 0 when nothing hits', () => {
    const [p] = precisionRecallCurve(pairs, [0.999]);
    expect(p).toEqual({ threshold: 0.999, hits: 0, correct: 0, wrong: 0, precision: 1, recall: 0, falseHitRate: 0 });
  });

  it('returns one point per threshold, in the order given', () => {
    expect(precisionRecallCurve(pairs, [0.9, 0.95, 0.8]).map((p) => p.threshold)).toEqual([0.9, 0.95, 0.8]);
  });
});

describe('thresholdForPrecision', () => {
  it('returns the lowest threshold that still reaches the target precision', () => {
    // Walking down the guard-passing similarities:
    // 0.99 -> 1/1 = 1.00, 0.96 -> 2/2 = 1.00, 0.94 -> 2/3 = 0.667, 0.93 -> 3/4 = 0.75,
    // 0.91 -> 4/5 = 0.80, 0.90 -> 4/6 = 0.667, 0.80 -> 4/7 = 0.571.
    // Target 0.75: the lowest threshold with precision >= 0.75 is 0.91 (0.80), recall 4/4 = 1.
    expect(thresholdForPrecision(pairs, 0.75)).toEqual({ threshold: 0.91, precision: 0.8, recall: 1 });
  });

  it('returns the high threshold when only it is precise enough', () => {
    // Target 0.9: only 0.99 and 0.96 reach it; the lowest is 0.96 with recall 2/4.
    expect(thresholdForPrecision(pairs, 0.9)).toEqual({ threshold: 0.96, precision: 1, recall: 0.5 });
  });

  it('returns null when no threshold reaches the target', () => {
    const wrongOnly: ScoredPair[] = [{ label: 0, similarity: 0.99, guardPass: true }];
    expect(thresholdForPrecision(wrongOnly, 0.5)).toBeNull();
  });

  it('treats pairs with equal similarity as one threshold', () => {
    // Both pairs at 0.95 enter together: precision 1/2, never 1/1 alone.
    const tied: ScoredPair[] = [
      { label: 1, similarity: 0.95, guardPass: true },
      { label: 0, similarity: 0.95, guardPass: true },
    ];
    expect(thresholdForPrecision(tied, 0.9)).toBeNull();
    expect(thresholdForPrecision(tied, 0.5)).toEqual({ threshold: 0.95, precision: 0.5, recall: 1 });
  });

  it('ignores thresholds below minThreshold and with fewer than minHits hits', () => {
    // minHits 3 rules out 0.99 and 0.96 (1 and 2 hits); 0.91 has 5 hits and stays the answer.
    // minThreshold 0.92 stops the walk at 0.93: 3/4 correct, recall 3/4.
    expect(thresholdForPrecision(pairs, 0.75, { minHits: 3 })).toEqual({ threshold: 0.91, precision: 0.8, recall: 1 });
    expect(thresholdForPrecision(pairs, 0.75, { minThreshold: 0.92 })).toEqual({ threshold: 0.93, precision: 0.75, recall: 0.75 });
  });
});
