// Scoring of the pairs mode, pure. Each query (a row's text_b) was asked with the sweep's lowest
// threshold, so its outcome is its nearest guard-passing stored text above that floor and the
// similarity the hit was judged by; at any threshold T >= floor the proxy would have hit iff that
// similarity >= T (candidates are tried most similar first), and an exact hit hits at every
// threshold. Below the support guard's confident similarity this is an estimate: a candidate
// charged below T may hide a less similar one that would pass at T. The bench also asks at the
// run's threshold itself, and its headline figures are from that pass.
import type { CacheStatus } from './bench-client.js';

export interface PairOutcome {
  readonly label: 0 | 1;
  readonly status: CacheStatus | undefined;
  /** On hits, the similarity the proxy judged the hit by (after the support charge; 4 decimals). */
  readonly similarity: number | undefined;
  /** On hits: whether the entry's text means the same as the query, by the file's labels. */
  readonly correct: boolean;
  readonly failed: boolean;
  /** The row's group, when the pairs file names one. */
  readonly kind?: string;
}

export interface PairsScore {
  readonly threshold: number;
  readonly queries: number;
  readonly label1Queries: number;
  readonly label0Queries: number;
  readonly hits: number;
  readonly exactHits: number;
  readonly correctHits: number;
  readonly wrongHits: number;
  readonly wrongHitsOnLabel0: number;
  /** hits / queries */
  readonly hitRate: number;
  /** correctHits / hits; null with no hits */
  readonly precision: number | null;
  /** correctHits / label-1 queries */
  readonly recall: number | null;
  /** wrong hits on label-0 queries / label-0 queries */
  readonly falseHitRate: number | null;
}

// The similarity header has 4 decimals; a threshold is compared on the same grid.
const GRID = 1e-9;

export function hitsAt(outcome: PairOutcome, threshold: number): boolean {
  if (outcome.status === 'exact-hit') return true;
  return outcome.status === 'semantic-hit' && outcome.similarity !== undefined && outcome.similarity >= threshold - GRID;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function scorePairs(outcomes: readonly PairOutcome[], threshold: number): PairsScore {
  let label1Queries = 0;
  let hits = 0;
  let exactHits = 0;
  let correctHits = 0;
  let wrongHitsOnLabel0 = 0;
  for (const outcome of outcomes) {
    if (outcome.label === 1) label1Queries++;
    if (!hitsAt(outcome, threshold)) continue;
    hits++;
    if (outcome.status === 'exact-hit') exactHits++;
    if (outcome.correct) correctHits++;
    else if (outcome.label === 0) wrongHitsOnLabel0++;
  }
  const label0Queries = outcomes.length - label1Queries;
  return {
    threshold,
    queries: outcomes.length,
    label1Queries,
    label0Queries,
    hits,
    exactHits,
    correctHits,
    wrongHits: hits - correctHits,
    wrongHitsOnLabel0,
    hitRate: ratio(hits, outcomes.length) ?? 0,
    precision: ratio(correctHits, hits),
    recall: ratio(correctHits, label1Queries),
    falseHitRate: ratio(wrongHitsOnLabel0, label0Queries),
  };
}

/** Thresholds from `floor` to 1 by `step`, rounded to the step's decimals. */
export function sweepThresholds(floor: number, step: number): number[] {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
  const thresholds: number[] = [];
  for (let i = 0; floor + i * step <= 1 + GRID; i++) thresholds.push(Number((floor + i * step).toFixed(decimals)));
  return thresholds;
}

/** The threshold with the most recall among those whose precision reaches the target (the
 * higher precision on a tie); undefined when none does. */
export function recommendThreshold(sweep: readonly PairsScore[], targetPrecision: number): PairsScore | undefined {
  let best: PairsScore | undefined;
  for (const point of sweep) {
    if (point.precision === null || point.precision < targetPrecision) continue;
    const recall = point.recall ?? 0;
    const bestRecall = best?.recall ?? -1;
    if (recall > bestRecall || (recall === bestRecall && point.precision > (best?.precision ?? 0))) best = point;
  }
  return best;
}

/** One group of rows (the pairs file's fourth column) at a threshold. */
export interface KindScore {
  readonly kind: string;
  /** The label the group's rows carry, or null when they mix labels. */
  readonly label: 0 | 1 | null;
  readonly queries: number;
  readonly hits: number;
  readonly correctHits: number;
  readonly wrongHits: number;
}

/** Hits by group at `threshold`, in the order groups first occur; empty when no row has a kind. */
export function scoreKinds(outcomes: readonly PairOutcome[], threshold: number): KindScore[] {
  const groups = new Map<string, { label: 0 | 1 | null; queries: number; hits: number; correctHits: number }>();
  for (const o of outcomes) {
    if (o.kind === undefined) continue;
    let g = groups.get(o.kind);
    if (g === undefined) groups.set(o.kind, (g = { label: o.label, queries: 0, hits: 0, correctHits: 0 }));
    if (g.label !== o.label) g.label = null;
    g.queries++;
    if (!hitsAt(o, threshold)) continue;
    g.hits++;
    if (o.correct) g.correctHits++;
  }
  return [...groups].map(([kind, g]) => ({ kind, ...g, wrongHits: g.hits - g.correctHits }));
}
