// Pure maths behind `semcache calibrate`: given labelled pairs with their similarity and the guard
// verdict, what precision, recall and false-hit rate does each threshold give, and which is the
// lowest threshold (the most hits) that still reaches a target precision.

export interface ScoredPair {
  /** 1 when a cache hit between the two texts would be correct. */
  readonly label: 0 | 1;
  readonly similarity: number;
  readonly guardPass: boolean;
}

export interface CurvePoint {
  readonly threshold: number;
  readonly hits: number;
  readonly correct: number;
  readonly wrong: number;
  /** correct / hits; 1 when there are no hits (a cache that never answers serves nothing wrong). */
  readonly precision: number;
  /** correct / label-1 pairs; 0 when there are none. */
  readonly recall: number;
  /** wrong / label-0 pairs; 0 when there are none. */
  readonly falseHitRate: number;
}

export interface ThresholdChoice {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
}

export interface ThresholdOptions {
  /** Smallest threshold to consider (default 0). */
  readonly minThreshold?: number;
  /** Fewest hits a threshold must give to count; guards against precision 1 from one lucky hit (default 1). */
  readonly minHits?: number;
}

function ratio(n: number, d: number, empty: number): number {
  return d === 0 ? empty : n / d;
}

function point(threshold: number, correct: number, wrong: number, positives: number, negatives: number): CurvePoint {
  const hits = correct + wrong;
  return {
    threshold,
    hits,
    correct,
    wrong,
    precision: ratio(correct, hits, 1),
    recall: ratio(correct, positives, 0),
    falseHitRate: ratio(wrong, negatives, 0),
  };
}

/** A pair hits when its similarity is >= the threshold and the guards let it through. */
export function precisionRecallCurve(pairs: readonly ScoredPair[], thresholds: readonly number[]): CurvePoint[] {
  const positives = pairs.filter((p) => p.label === 1).length;
  const negatives = pairs.length - positives;
  return thresholds.map((threshold) => {
    let correct = 0;
    let wrong = 0;
    for (const p of pairs) {
      if (!p.guardPass || p.similarity < threshold) continue;
      if (p.label === 1) correct++;
      else wrong++;
    }
    return point(threshold, correct, wrong, positives, negatives);
  });
}

/**
 * The lowest threshold whose precision is >= target, searched over the distinct similarities of
 * guard-passing pairs (only those values change the hit set, so the answer is exact). Returns null
 * when no threshold reaches the target.
 */
export function thresholdForPrecision(pairs: readonly ScoredPair[], targetPrecision: number, options: ThresholdOptions = {}): ThresholdChoice | null {
  const minThreshold = options.minThreshold ?? 0;
  const minHits = options.minHits ?? 1;
  const positives = pairs.filter((p) => p.label === 1).length;
  const candidates = pairs.filter((p) => p.guardPass && p.similarity >= minThreshold).sort((a, b) => b.similarity - a.similarity);
  let correct = 0;
  let wrong = 0;
  let best: ThresholdChoice | null = null;
  // Walk from the highest similarity down; each distinct value is a threshold admitting every pair
  // at or above it, so the counts are cumulative.
  for (let i = 0; i < candidates.length; i++) {
    const p = candidates[i]!;
    if (p.label === 1) correct++;
    else wrong++;
    const next = candidates[i + 1];
    if (next !== undefined && next.similarity === p.similarity) continue;
    const hits = correct + wrong;
    const precision = correct / hits;
    if (hits >= minHits && precision >= targetPrecision) {
      best = { threshold: p.similarity, precision, recall: ratio(correct, positives, 0) };
    }
  }
  return best;
}
