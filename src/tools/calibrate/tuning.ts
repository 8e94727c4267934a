// Tuned on one file, measured on another: a guard parameter is chosen on the calibration file alone
// (the value whose calibrated threshold for the target precision keeps the most recall, the rule
// `semcache calibrate` itself applies to thresholds), then the other file is scored with that value
// at a fixed threshold. A parameter that only works on the data it was chosen on shows up here.
import { createGuardStage, type GuardStage, type SupportOptions } from '../../cache/guards/index.js';
import { precisionRecallCurve, thresholdForPrecision } from './calibration.js';
import type { PairScore } from './calibration-report.js';
import { formatThreshold } from './format-report.js';
import type { LabelledSet } from './labelled-set.js';
import { scoreSet } from './score-set.js';

/** Parameters `--tune` accepts, and the support option each sets. */
export const TUNABLE: Readonly<Record<string, keyof SupportOptions>> = Object.freeze({
  'support-penalty': 'penaltyPerWord',
  'support-common-weight': 'commonWordWeight',
  'support-max-words': 'maxWords',
  'support-similarity': 'confidentSimilarity',
});

export interface TuneSpec {
  readonly name: string;
  readonly values: readonly number[];
}

export interface SetFigures {
  /** The calibrated threshold for the target precision (null when none reaches it), its recall. */
  readonly threshold: number | null;
  readonly recall: number | null;
  /** Precision and recall at the fixed measuring threshold. */
  readonly precisionAt: number;
  readonly recallAt: number;
  readonly hitsAt: number;
}

export interface TuneRow {
  readonly value: number;
  readonly tunedOn: SetFigures;
  readonly measuredOn: SetFigures | null;
}

export interface TuningResult {
  readonly name: string;
  readonly tunedOn: string;
  readonly measuredOn: string | null;
  readonly targetPrecision: number;
  readonly measureThreshold: number;
  readonly rows: readonly TuneRow[];
  /** The value chosen on `tunedOn` alone; null when no value reaches the target there. */
  readonly chosen: number | null;
}

export interface TuneInput {
  readonly spec: TuneSpec;
  readonly guards: readonly string[];
  readonly support: SupportOptions;
  readonly targetPrecision: number;
  readonly measureThreshold: number;
  readonly minHits: number;
  readonly tuneSet: LabelledSet;
  readonly measureSet: LabelledSet | undefined;
}

function figures(scores: readonly PairScore[], input: TuneInput): SetFigures {
  const pairs = scores.map((s) => ({ label: s.label, similarity: s.supported ?? s.similarity, guardPass: s.guardPass }));
  const choice = thresholdForPrecision(pairs, input.targetPrecision, { minHits: input.minHits });
  const [at] = precisionRecallCurve(pairs, [input.measureThreshold]);
  return { threshold: choice?.threshold ?? null, recall: choice?.recall ?? null, precisionAt: at!.precision, recallAt: at!.recall, hitsAt: at!.hits };
}

export function tune(input: TuneInput): TuningResult {
  const field = TUNABLE[input.spec.name];
  if (field === undefined) throw new Error(`--tune: unknown parameter ${input.spec.name}`);
  const rows = input.spec.values.map((value): TuneRow => {
    const stage: GuardStage = createGuardStage(input.guards, { support: { ...input.support, [field]: value } });
    return {
      value,
      tunedOn: figures(scoreSet(input.tuneSet, stage), input),
      measuredOn: input.measureSet === undefined ? null : figures(scoreSet(input.measureSet, stage), input),
    };
  });
  let chosen: TuneRow | undefined;
  for (const row of rows) if (row.tunedOn.recall !== null && (chosen === undefined || row.tunedOn.recall > (chosen.tunedOn.recall ?? -1))) chosen = row;
  return {
    name: input.spec.name,
    tunedOn: input.tuneSet.file,
    measuredOn: input.measureSet?.file ?? null,
    targetPrecision: input.targetPrecision,
    measureThreshold: input.measureThreshold,
    rows,
    chosen: chosen?.value ?? null,
  };
}

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(3));

export function formatTuning(result: TuningResult): string {
  const t = result.measureThreshold;
  const header = ['', result.name, `threshold for P ${result.targetPrecision}`, 'recall', `P @${t}`, `R @${t}`];
  if (result.measuredOn !== null) header.push(`measured: P @${t}`, `R @${t}`, 'hits');
  const table = [
    header,
    ...result.rows.map((r) => {
      const threshold = r.tunedOn.threshold === null ? '-' : formatThreshold(r.tunedOn.threshold);
      const row = [
        r.value === result.chosen ? '*' : '',
        String(r.value),
        threshold,
        fmt(r.tunedOn.recall),
        fmt(r.tunedOn.precisionAt),
        fmt(r.tunedOn.recallAt),
      ];
      if (r.measuredOn !== null) row.push(fmt(r.measuredOn.precisionAt), fmt(r.measuredOn.recallAt), String(r.measuredOn.hitsAt));
      return row;
    }),
  ];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  const lines = [
    `tuning ${result.name} on ${result.tunedOn} (the most recall at precision ${result.targetPrecision}; * = chosen)${result.measuredOn === null ? '' : `, measured on ${result.measuredOn}`}`,
    ...table.map((r) => r.map((cell, c) => cell.padStart(widths[c]!)).join('  ')),
  ];
  const chosen = result.rows.find((r) => r.value === result.chosen);
  if (chosen === undefined) lines.push(`no value of ${result.name} reaches precision ${result.targetPrecision} on ${result.tunedOn}`);
  else if (chosen.measuredOn !== null) {
    lines.push(
      `tuned on ${result.tunedOn} (${result.name} = ${chosen.value}) / measured on ${result.measuredOn}: precision ${fmt(chosen.measuredOn.precisionAt)}, recall ${fmt(chosen.measuredOn.recallAt)} at ${t}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
