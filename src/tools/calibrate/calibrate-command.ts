// semcache calibrate: embeds both texts of every labelled pair (or pairs derived from a stream),
// scores each pair (cosine, the word guards' verdict and the similarity after the support charge),
// prints the precision/recall curve with and without guards and the lowest threshold (the most
// recall) that reaches the target precision; with a kind column, hits by kind; with --tune, a
// guard parameter chosen on this file alone and measured on another (--measure-on).
//
// Exit codes: 0 a threshold reaches the target (with guards when any are selected), 1 none does,
// 2 bad flags or input.
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { createGuardStage, type GuardStage } from '../../cache/guards/index.js';
import { BenchInputError } from '../bench/pairs-file.js';
import { createEmbedder } from '../../embed/create-embedder.js';
import { CALIBRATE_BATCH, CALIBRATE_USAGE, CalibrateArgsError, parseCalibrateArgs, type CalibrateOptions } from './calibrate-args.js';
import { buildCalibrationReport, type CalibrationReport } from './calibration-report.js';
import { formatCalibrationReport, formatThreshold } from './format-report.js';
import { buildKindsReport, formatKindsReport } from './kinds-report.js';
import { CalibrateInputError, embedLabelledInput, readLabelledInput, type LabelledSet } from './labelled-set.js';
import { scoreSet } from './score-set.js';
import { formatTuning, tune, type TuningResult } from './tuning.js';

export interface CalibrateIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

function guardStage(options: CalibrateOptions): GuardStage {
  try {
    return createGuardStage(options.guards, { support: options.support });
  } catch (cause) {
    throw new CalibrateInputError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** The calibration file, and the file to measure a tuned value on, embedded by one model. */
async function loadSets(options: CalibrateOptions, io: CalibrateIo) {
  const mainInput = await readLabelledInput(options.file, options.limit);
  const measureInput = options.measureOn === undefined ? undefined : await readLabelledInput(options.measureOn, options.limit);
  const embedder = await createEmbedder({ backend: options.backend, workers: options.workers, maxBatch: CALIBRATE_BATCH });
  try {
    const embed = { workers: options.workers, stderr: io.stderr };
    const main = await embedLabelledInput(mainInput, embedder, embed);
    const measure = measureInput === undefined ? undefined : await embedLabelledInput(measureInput, embedder, embed);
    return { modelId: embedder.modelId, main, measure };
  } finally {
    await embedder.close();
  }
}

function runTuning(options: CalibrateOptions, main: LabelledSet, measure: LabelledSet | undefined): TuningResult | undefined {
  if (options.tune === undefined) return undefined;
  return tune({
    spec: options.tune,
    guards: options.guards,
    support: options.support,
    targetPrecision: options.targetPrecision,
    measureThreshold: options.measureThreshold,
    minHits: options.minHits,
    tuneSet: main,
    measureSet: measure,
  });
}

function recommended(report: CalibrationReport) {
  const result = report.guarded ?? report.raw;
  return result.choice === null ? null : { ...result.choice, guards: report.guards };
}

export async function runCalibrate(argv: readonly string[], io: CalibrateIo, secrets: { readonly embedApiKey?: string | undefined } = {}): Promise<number> {
  try {
    const args = parseCalibrateArgs(argv, secrets);
    if (args.help) {
      io.stdout.write(`${CALIBRATE_USAGE}\n`);
      return 0;
    }
    const { options } = args;
    const stage = guardStage(options);
    const { modelId, main, measure } = await loadSets(options, io);
    const scores = scoreSet(main, stage);
    const report = buildCalibrationReport({
      file: options.file,
      modelId,
      targetPrecision: options.targetPrecision,
      minHits: options.minHits,
      guards: stage.names,
      scores,
    });
    io.stdout.write(formatCalibrationReport(report));
    if (main.derived) io.stdout.write(`(pairs derived from a stream: each prompt with its most similar earlier prompt)\n`);
    const kinds = buildKindsReport(scores);
    if (kinds !== null) io.stdout.write(`\nby kind of pair:\n${formatKindsReport(kinds)}`);
    const tuning = runTuning(options, main, measure);
    if (tuning !== undefined) io.stdout.write(`\n${formatTuning(tuning)}`);
    const choice = recommended(report);
    if (options.jsonPath !== undefined) {
      await writeFile(options.jsonPath, `${JSON.stringify({ recommended: choice, kinds, tuning: tuning ?? null, ...report }, null, 2)}\n`);
      io.stdout.write(`wrote ${options.jsonPath}\n`);
    }
    if (choice === null) return 1;
    io.stdout.write(`SEMCACHE_THRESHOLD=${formatThreshold(choice.threshold)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CalibrateArgsError || error instanceof CalibrateInputError || error instanceof BenchInputError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
