// What `semcache calibrate` found, as one plain object: the text output and the JSON file are both
// renderings of it. Raw cosine and cosine-plus-guards are evaluated on the same scored pairs.
import { precisionRecallCurve, thresholdForPrecision, type CurvePoint, type ScoredPair, type ThresholdChoice } from './calibration.js';

/** One pair of the file with its cosine and the guard stage's verdict. */
export interface PairScore extends ScoredPair {
  /** The similarity after the support guard's charge; the cosine when it charged nothing. */
  readonly supported?: number;
  /** Name of the guard that rejected the pair, when one did. */
  readonly guard?: string;
  /** The row's group, from the pairs file's fourth column. */
  readonly kind?: string;
}

export interface CalibrationResult {
  readonly choice: ThresholdChoice | null;
  /** The fixed grid plus the chosen threshold, ascending. */
  readonly curve: readonly CurvePoint[];
}

export interface GuardRejections {
  readonly label0: number;
  readonly label1: number;
}

export interface CalibrationReport {
  readonly file: string;
  readonly modelId: string;
  readonly targetPrecision: number;
  readonly minHits: number;
  readonly guards: readonly string[];
  readonly pairs: { readonly total: number; readonly positives: number; readonly negatives: number };
  readonly raw: CalibrationResult;
  /** null when no guard is selected (it would repeat `raw`). */
  readonly guarded: CalibrationResult | null;
  /** Pairs each guard rejected (at any similarity), by label. */
  readonly rejectedBy: Readonly<Record<string, GuardRejections>>;
  /** Pairs the word guards passed and the support guard charged (by label): they hit only at
   * thresholds up to their charged similarity. */
  readonly supportCharged: GuardRejections;
  readonly scores: readonly PairScore[];
}

/** 0.80, 0.81, ... 0.99: where USE-lite and MiniLM thresholds of interest lie. */
export const CURVE_GRID: readonly number[] = Object.freeze(Array.from({ length: 20 }, (_, i) => (80 + i) / 100));

function evaluate(pairs: readonly ScoredPair[], target: number, minHits: number): CalibrationResult {
  const choice = thresholdForPrecision(pairs, target, { minHits });
  const thresholds = choice === null ? [...CURVE_GRID] : [...CURVE_GRID, choice.threshold];
  thresholds.sort((a, b) => a - b);
  return { choice, curve: precisionRecallCurve(pairs, thresholds) };
}

export interface ReportInput {
  readonly file: string;
  readonly modelId: string;
  readonly targetPrecision: number;
  readonly minHits: number;
  readonly guards: readonly string[];
  readonly scores: readonly PairScore[];
}

export function buildCalibrationReport(input: ReportInput): CalibrationReport {
  const { scores, targetPrecision, minHits } = input;
  const positives = scores.filter((s) => s.label === 1).length;
  const rejectedBy: Record<string, { label0: number; label1: number }> = {};
  for (const s of scores) {
    if (s.guard === undefined) continue;
    const counts = (rejectedBy[s.guard] ??= { label0: 0, label1: 0 });
    if (s.label === 1) counts.label1++;
    else counts.label0++;
  }
  const supportCharged = { label0: 0, label1: 0 };
  for (const s of scores) {
    if (!s.guardPass || s.supported === undefined || s.supported >= s.similarity) continue;
    if (s.label === 1) supportCharged.label1++;
    else supportCharged.label0++;
  }
  const unguarded = scores.map((s) => ({ label: s.label, similarity: s.similarity, guardPass: true }));
  // With support on, a pair hits at threshold t when its charged similarity reaches t.
  const guarded = scores.map((s) => ({ label: s.label, similarity: s.supported ?? s.similarity, guardPass: s.guardPass }));
  return {
    file: input.file,
    modelId: input.modelId,
    targetPrecision,
    minHits,
    guards: input.guards,
    pairs: { total: scores.length, positives, negatives: scores.length - positives },
    raw: evaluate(unguarded, targetPrecision, minHits),
    guarded: input.guards.length === 0 ? null : evaluate(guarded, targetPrecision, minHits),
    rejectedBy,
    supportCharged,
    scores,
  };
}
