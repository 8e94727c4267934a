// Pairs by group (the pairs file's fourth column, e.g. bench/fixtures/role-swaps.tsv: `swap`,
// `voice`, `fronting`...): at each threshold, how many of a group's pairs raw cosine would serve and
// how many the guards still serve. For a different-meaning group that is its false-hit rate; for a
// same-meaning group, the share of raw cosine's hits the guards keep.
import type { PairScore } from './calibration-report.js';

/** The default threshold and the lowered one the guards are built for. */
export const KIND_THRESHOLDS: readonly number[] = Object.freeze([0.95, 0.9]);

export interface KindCounts {
  readonly threshold: number;
  /** Pairs whose cosine reaches the threshold. */
  readonly rawHits: number;
  /** Of those, the pairs the guards pass with their charged similarity at the threshold. */
  readonly guardedHits: number;
}

export interface KindRow {
  readonly kind: string;
  /** The label of the group's pairs, or null when they mix labels. */
  readonly label: 0 | 1 | null;
  readonly pairs: number;
  readonly at: readonly KindCounts[];
}

export interface KindTotals {
  readonly threshold: number;
  /** Different-meaning pairs served / different-meaning pairs. */
  readonly falseHitRateRaw: number | null;
  readonly falseHitRateGuarded: number | null;
  /** Same-meaning pairs the guards serve / those raw cosine serves. */
  readonly sameMeaningKept: number | null;
}

export interface KindsReport {
  readonly rows: readonly KindRow[];
  readonly totals: readonly KindTotals[];
}

const hitsRaw = (s: PairScore, t: number): boolean => s.similarity >= t;
const hitsGuarded = (s: PairScore, t: number): boolean => s.guardPass && (s.supported ?? s.similarity) >= t - 1e-9;
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Null when no pair names a kind. */
export function buildKindsReport(scores: readonly PairScore[], thresholds: readonly number[] = KIND_THRESHOLDS): KindsReport | null {
  const groups = new Map<string, PairScore[]>();
  for (const s of scores) if (s.kind !== undefined) (groups.get(s.kind) ?? groups.set(s.kind, []).get(s.kind)!).push(s);
  if (groups.size === 0) return null;
  const rows = [...groups].map(([kind, list]): KindRow => {
    const labels = new Set(list.map((s) => s.label));
    return {
      kind,
      label: labels.size === 1 ? list[0]!.label : null,
      pairs: list.length,
      at: thresholds.map((t) => ({
        threshold: t,
        rawHits: list.filter((s) => hitsRaw(s, t)).length,
        guardedHits: list.filter((s) => hitsRaw(s, t) && hitsGuarded(s, t)).length,
      })),
    };
  });
  const kinded = scores.filter((s) => s.kind !== undefined);
  const totals = thresholds.map((t): KindTotals => {
    const negatives = kinded.filter((s) => s.label === 0);
    const positives = kinded.filter((s) => s.label === 1 && hitsRaw(s, t));
    return {
      threshold: t,
      falseHitRateRaw: ratio(negatives.filter((s) => hitsRaw(s, t)).length, negatives.length),
      falseHitRateGuarded: ratio(negatives.filter((s) => hitsRaw(s, t) && hitsGuarded(s, t)).length, negatives.length),
      sameMeaningKept: ratio(positives.filter((s) => hitsGuarded(s, t)).length, positives.length),
    };
  });
  return { rows, totals };
}

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(3));

export function formatKindsReport(report: KindsReport): string {
  const header = ['kind', 'label', 'pairs', ...report.totals.flatMap((t) => [`raw hits @${t.threshold}`, `guards @${t.threshold}`])];
  const rows = report.rows.map((r) => [
    r.kind,
    r.label === null ? 'mixed' : String(r.label),
    String(r.pairs),
    ...r.at.flatMap((a) => [String(a.rawHits), String(a.guardedHits)]),
  ]);
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  const lines = table.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  for (const t of report.totals) {
    lines.push(
      `@${t.threshold}: false-hit rate of different-meaning pairs raw ${fmt(t.falseHitRateRaw)}, with guards ${fmt(t.falseHitRateGuarded)}; same-meaning pairs keep ${fmt(t.sameMeaningKept)} of raw cosine's hits`,
    );
  }
  return `${lines.join('\n')}\n`;
}
