// The human-readable side of a calibration report: the precision/recall curve as a table, then one
// line per evaluation saying which threshold reaches the target, or that none does.
import type { CurvePoint } from './calibration.js';
import type { CalibrationReport, CalibrationResult } from './calibration-report.js';

/** Rounded down, so a threshold copied from the output admits every pair the exact one does. */
export function formatThreshold(threshold: number): string {
  return (Math.floor(threshold * 10_000) / 10_000).toFixed(4);
}

function cells(p: CurvePoint | undefined): string[] {
  if (p === undefined) return ['', '', '', ''];
  return [p.precision.toFixed(3), p.recall.toFixed(3), String(p.hits), p.falseHitRate.toFixed(3)];
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c]!)).join('  ')).join('\n');
}

function curveTable(report: CalibrationReport): string {
  const { raw, guarded } = report;
  const thresholds = [...new Set([...raw.curve, ...(guarded?.curve ?? [])].map((p) => p.threshold))].sort((a, b) => a - b);
  const find = (result: CalibrationResult | null, t: number): CurvePoint | undefined => result?.curve.find((p) => p.threshold === t);
  const chosen = (result: CalibrationResult | null, t: number): boolean => result?.choice?.threshold === t;
  const header = ['threshold', 'raw P', 'raw R', 'hits', 'FHR'];
  if (guarded) header.push('guards P', 'guards R', 'hits', 'FHR');
  const rows = [header];
  for (const t of thresholds) {
    const mark = chosen(raw, t) || chosen(guarded, t) ? '*' : ' ';
    const row = [`${mark}${formatThreshold(t)}`, ...cells(find(raw, t))];
    if (guarded) row.push(...cells(find(guarded, t)));
    rows.push(row);
  }
  return table(rows);
}

function verdict(label: string, result: CalibrationResult, report: CalibrationReport): string {
  const target = report.targetPrecision;
  const { choice } = result;
  if (choice === null) {
    const best = result.curve.reduce<CurvePoint | undefined>((b, p) => (p.hits > 0 && (!b || p.precision > b.precision) ? p : b), undefined);
    const hint = best ? ` (best on the curve: precision ${best.precision.toFixed(3)} at ${formatThreshold(best.threshold)})` : '';
    return `${label}: no threshold reaches precision ${target}${report.minHits > 1 ? ` with at least ${report.minHits} hits` : ''}${hint}`;
  }
  return `${label}: threshold ${formatThreshold(choice.threshold)} reaches precision ${choice.precision.toFixed(3)} (target ${target}) with recall ${choice.recall.toFixed(3)}`;
}

export function formatCalibrationReport(report: CalibrationReport): string {
  const { pairs } = report;
  const lines = [
    `${report.file}: ${pairs.total} pairs (${pairs.positives} same meaning, ${pairs.negatives} different), model ${report.modelId}`,
    `guards: ${report.guards.length > 0 ? report.guards.join(', ') : 'none'}`,
    '',
    'P = precision of hits, R = recall of same-meaning pairs, FHR = false hits / different-meaning pairs; * = chosen',
    curveTable(report),
    '',
    verdict('raw cosine', report.raw, report),
  ];
  if (report.guarded) lines.push(verdict('with guards', report.guarded, report));
  const rejected = Object.entries(report.rejectedBy);
  if (rejected.length > 0) {
    lines.push(`rejected by guard (different / same meaning): ${rejected.map(([g, r]) => `${g} ${r.label0}/${r.label1}`).join(', ')}`);
  }
  const charged = report.supportCharged;
  if (charged.label0 + charged.label1 > 0) {
    lines.push(`charged by support for unshared words (different / same meaning): ${charged.label0}/${charged.label1}`);
  }
  return `${lines.join('\n')}\n`;
}
