// semcache calibrate: embeds both texts of every labelled pair, scores each pair (cosine, the word
// guards' verdict and the similarity after the support charge), prints the precision/recall curve with and without guards, and reports the
// lowest threshold (the most recall) that reaches the target precision.
//
// Exit codes: 0 a threshold reaches the target (with guards when any are selected), 1 none does,
// 2 bad flags or input.
import { readFile, writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { createGuardStage, type GuardStage } from '../cache/guards/index.js';
import { normalizeForEmbedding } from '../cache/normalize.js';
import { BenchInputError, parsePairs, type PairRow } from '../bench/pairs-file.js';
import { createProgress } from '../bench/progress.js';
import { createEmbedder } from '../embed/create-embedder.js';
import { CALIBRATE_BATCH, CALIBRATE_USAGE, CalibrateArgsError, parseCalibrateArgs, type CalibrateOptions } from './calibrate-args.js';
import { buildCalibrationReport, type CalibrationReport, type PairScore } from './calibration-report.js';
import { cosine, embedTexts } from './embed-texts.js';
import { formatCalibrationReport, formatThreshold } from './format-report.js';

export interface CalibrateIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

class CalibrateInputError extends Error {
  override readonly name = 'CalibrateInputError';
}

async function readRows(options: CalibrateOptions): Promise<PairRow[]> {
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (cause) {
    throw new CalibrateInputError(`cannot read ${options.file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const rows = parsePairs(text, options.limit);
  if (rows.length === 0) throw new CalibrateInputError(`${options.file} has no pairs`);
  return rows;
}

function guardStage(options: CalibrateOptions): GuardStage {
  try {
    return createGuardStage(options.guards, { support: options.support });
  } catch (cause) {
    throw new CalibrateInputError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

async function scorePairs(rows: readonly PairRow[], options: CalibrateOptions, stage: GuardStage, io: CalibrateIo) {
  const embedder = await createEmbedder({ backend: options.backend, workers: options.workers, maxBatch: CALIBRATE_BATCH });
  try {
    // Embedded as the cache embeds a prompt (normalised), guarded as the cache guards one (as sent).
    const texts = rows.flatMap((r) => [normalizeForEmbedding(r.textA), normalizeForEmbedding(r.textB)]);
    const isTTY = (io.stderr as Writable & { isTTY?: boolean }).isTTY === true;
    const progress = createProgress({ stream: io.stderr, isTTY }, 'embedding', new Set(texts).size);
    const vectors = await embedTexts(embedder, texts, { batchSize: CALIBRATE_BATCH, inFlight: 2 * options.workers, progress });
    const scores = rows.map((r): PairScore => {
      const a = vectors.get(normalizeForEmbedding(r.textA))!;
      const b = vectors.get(normalizeForEmbedding(r.textB))!;
      const similarity = cosine(a, b);
      const { verdict, supported } = stage.assess(r.textA, r.textB, similarity);
      return verdict.pass
        ? { label: r.label, similarity, supported, guardPass: true }
        : { label: r.label, similarity, supported, guardPass: false, guard: verdict.guard };
    });
    return { modelId: embedder.modelId, scores };
  } finally {
    await embedder.close();
  }
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
    const rows = await readRows(options);
    const { modelId, scores } = await scorePairs(rows, options, stage, io);
    const report = buildCalibrationReport({
      file: options.file,
      modelId,
      targetPrecision: options.targetPrecision,
      minHits: options.minHits,
      guards: stage.names,
      scores,
    });
    io.stdout.write(formatCalibrationReport(report));
    const choice = recommended(report);
    if (options.jsonPath !== undefined) {
      await writeFile(options.jsonPath, `${JSON.stringify({ recommended: choice, ...report }, null, 2)}\n`);
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
